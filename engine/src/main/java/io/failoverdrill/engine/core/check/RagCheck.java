package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.RagView;

/**
 * A check over the RAG probe set as it stands after the drill ({@code after}): it needs answers from every region of
 * the plan — a region that never answered (since its rebuild reached parity, where there was one) is "no data".
 */
public abstract class RagCheck extends Check {
    protected final RagView after;
    private final String afterSignal;

    protected RagCheck(String name, RagView after, String afterSignal) {
        super(name);
        this.after = after;
        this.afterSignal = afterSignal;
    }

    /** The "no data" verdict when a region's answers are missing, else null. */
    protected CheckResult missing(DrillFacts facts, Object limit) {
        if (after.isEmpty()) {
            return CheckResult.noData(name(), limit, afterSignal);
        }
        String silent = after.firstSilent(facts.plan().regions());
        if (silent == null) {
            return null;
        }
        String since = facts.ragSinceMs() == Long.MIN_VALUE ? "" : " since the rebuild reached parity";
        return CheckResult.noData(name(), limit, "rag_probe events from region " + silent + since);
    }
}

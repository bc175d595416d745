package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RagView;

import java.util.Map;
import java.util.TreeMap;

/**
 * Acceptance target: ΔS(question, retrieved) of the probe set ≤ {@code acceptance.delta_s_max} before and after the
 * drill (after only, when the state before was an injected fault). Signal: rag_probe events.
 */
public final class DeltaS extends RagCheck {
    public static final String NAME = "delta_s";
    /** @param after the probe set judged as "after the drill" */
    public DeltaS(RagView after) {
        super(NAME, after, "rag_probe events");
    }

    record BeforeAfter(RagView before, RagView after, boolean afterOnly) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            boolean noBefore = before == null || before.isEmpty();
            Map<String, Object> m = new TreeMap<>();
            m.put("before", noBefore ? "no data" : before.deltaSEvidence());
            m.put("after", after.deltaSEvidence());
            m.put("zones_after", after.deltaSZones());
            m.put("zones_before", noBefore ? "no data" : before.deltaSZones());
            m.put("judged_on", afterOnly ? "after the rebuild" : "before and after the drill");
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        double limit = facts.plan().acceptance().deltaSMax();
        CheckResult missing = missing(facts, limit);
        if (missing != null) {
            return missing;
        }
        RagView before = facts.ragBefore();
        double pre = before == null || before.isEmpty() ? Double.NaN : before.maxDeltaS();
        double post = after.maxDeltaS();
        boolean afterOnly = facts.ragBeforeIsInjectedFault();
        double worst = afterOnly || Double.isNaN(pre) ? post : Math.max(pre, post);
        return new CheckResult(NAME, worst <= limit, Numbers.round3(worst), limit, new BeforeAfter(before, after, afterOnly));
    }

}

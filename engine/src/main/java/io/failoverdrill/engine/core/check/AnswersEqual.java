package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RagView;

import java.util.Map;

/**
 * Post check: answers equal between regions on the gold questions — the same answer hash and a Jaccard of at least
 * {@link #MIN_JACCARD} over the top-{@code dualhome_k} snippet ids, for every question all regions answered.
 * Value: the share of equal answers; limit 1. Signal: rag_probe events with {@code top_ids}.
 */
public final class AnswersEqual extends Check {
    public static final String NAME = "answers_equal";
    public static final double MIN_JACCARD = 0.6;
    private final RagView after;

    public AnswersEqual(RagView after) {
        super(NAME);
        this.after = after;
    }

    record Compared(RagView.AnswerParity parity) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return parity.toEvidence();
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        if (after.isEmpty()) {
            return CheckResult.noData(NAME, 1.0, "rag_probe events");
        }
        RagView.AnswerParity p = after.parity(facts.plan().ragProbe().dualhomeK(), MIN_JACCARD);
        double share = p.compared() == 0 ? 0 : Numbers.round3((double) p.equal() / p.compared());
        return new CheckResult(NAME, p.compared() > 0 && p.equal() == p.compared(), share, 1.0, new Compared(p));
    }
}

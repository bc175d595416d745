package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RagView;

import java.util.Map;

/**
 * Post check: answers equal between regions on the gold questions — the same answer hash and a Jaccard of at least
 * {@code acceptance.answers_jaccard_min} (0.6) over the top-{@code dualhome_k} snippet ids, for every question all
 * regions answered. Value: the share of equal answers; limit 1. Signal: rag_probe events with {@code answer_hash}
 * or {@code top_ids} from at least two regions for the same question.
 */
public final class AnswersEqual extends RagCheck {
    public static final String NAME = "answers_equal";

    public AnswersEqual(RagView after) {
        super(NAME, after, "rag_probe events");
    }

    record Compared(RagView.AnswerParity parity) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return parity.toEvidence();
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        CheckResult missing = missing(facts, 1.0);
        if (missing != null) {
            return missing;
        }
        RagView.AnswerParity p = after.parity(facts.plan().ragProbe().dualhomeK(), facts.plan().acceptance().answersJaccardMin());
        if (p.compared() == 0) {
            return CheckResult.noData(NAME, 1.0, p.regions().size() < 2
                    ? "rag_probe events from at least two regions (only " + p.regions() + ")"
                    : "rag_probe events with answer_hash or top_ids from every region for a common question ("
                    + p.uncomparable() + " common questions carried neither)");
        }
        double share = p.compared() == 0 ? 0 : Numbers.round3((double) p.equal() / p.compared());
        return new CheckResult(NAME, p.compared() > 0 && p.equal() == p.compared(), share, 1.0, new Compared(p));
    }

}

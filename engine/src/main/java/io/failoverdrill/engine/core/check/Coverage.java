package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RagView;

import java.util.Map;

/** Acceptance target: the lowest coverage of the probe set after the drill is at least {@code acceptance.coverage_min}. */
public final class Coverage extends RagCheck {
    public static final String NAME = "coverage";

    public Coverage(RagView after) {
        super(NAME, after, "rag_probe events");
    }

    record Questions(long questions) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("questions", questions);
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        double limit = facts.plan().acceptance().coverageMin();
        CheckResult missing = missing(facts, limit);
        if (missing != null) {
            return missing;
        }
        double min = after.minCoverage();
        return new CheckResult(NAME, min >= limit, Numbers.round3(min), limit, new Questions(after.questions()));
    }

}

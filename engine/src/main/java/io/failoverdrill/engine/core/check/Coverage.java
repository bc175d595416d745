package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RagView;

import java.util.Map;

/** Acceptance target: the lowest coverage of the probe set after the drill is at least {@code acceptance.coverage_min}. */
public final class Coverage extends Check {
    public static final String NAME = "coverage";
    private final RagView after;

    public Coverage(RagView after) {
        super(NAME);
        this.after = after;
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
        if (after.isEmpty()) {
            return CheckResult.noData(NAME, limit, "rag_probe events");
        }
        double min = after.minCoverage();
        return new CheckResult(NAME, min >= limit, Numbers.round3(min), limit, new Questions(after.questions()));
    }
}

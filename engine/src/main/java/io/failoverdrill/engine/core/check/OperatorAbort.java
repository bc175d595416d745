package io.failoverdrill.engine.core.check;

import io.failoverdrill.schemas.decision.Phase;

import java.util.Map;

/** The verdict of an operator's {@code abort} control event: the drill failed in the phase it was in. */
public final class OperatorAbort {
    public static final String NAME = "operator_abort";

    private OperatorAbort() {
    }

    record InPhase(Phase phase) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("phase", phase.wire());
        }
    }

    public static CheckResult verdict(Phase phase) {
        return new CheckResult(NAME, false, "abort", null, new InPhase(phase));
    }
}

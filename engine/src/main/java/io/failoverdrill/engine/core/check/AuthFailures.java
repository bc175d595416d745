package io.failoverdrill.engine.core.check;

import java.util.Map;

/**
 * Verification (seed: "auth failures after route flip"): no 401/403 answers on serving regions after the route
 * flip was applied. Signal: request events.
 */
public final class AuthFailures extends Check {
    public static final String NAME = "auth_failures";

    public AuthFailures() {
        super(NAME);
    }

    record AfterFlip() implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("measure", "401/403 answers on serving regions after the route flip was applied");
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        long n = facts.live().authAfterFlip();
        return new CheckResult(NAME, n == 0, n, 0, new AfterFlip());
    }
}

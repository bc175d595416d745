package io.failoverdrill.engine.core.check;

import java.util.Map;

/**
 * Verification (seed: "auth failures after route flip"): no 401/403 answers on serving regions after the route
 * flip was applied. Signal: request events on serving regions after the flip.
 */
public final class AuthFailures extends Check {
    public static final String NAME = "auth_failures";

    public AuthFailures() {
        super(NAME);
    }

    record AfterFlip(long requests) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("measure", "401/403 answers on serving regions after the route flip was applied",
                    "requests_after_flip", requests);
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        long requests = facts.live().requestsAfterFlip();
        if (requests == 0) {
            return CheckResult.noData(NAME, 0, "request events on a serving region after the route flip was applied");
        }
        long n = facts.live().authAfterFlip();
        return new CheckResult(NAME, n == 0, n, 0, new AfterFlip(requests));
    }
}

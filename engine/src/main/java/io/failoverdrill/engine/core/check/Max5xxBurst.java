package io.failoverdrill.engine.core.check;

import java.util.Map;

/**
 * Acceptance target: no burst of user-visible failures (http_5xx, timeout, connect) longer than
 * {@code acceptance.max_5xx_burst_s}: the longest run of seconds, from the drill's start, in which a serving
 * region's failure share exceeded {@code detect.error_rate}. Signal: request events on serving regions.
 */
public final class Max5xxBurst extends Check {
    public static final String NAME = "max_5xx_burst";

    public Max5xxBurst() {
        super(NAME);
    }

    record LongestRun(double errorRateThreshold, long secondsWithRequests) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("measure", "longest run of seconds, from the drill's start, with the share of "
                    + "http_5xx/timeout/connect failures over detect.error_rate on a serving region",
                    "error_rate_threshold", errorRateThreshold, "seconds_with_requests", secondsWithRequests);
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        double limit = facts.plan().acceptance().max5xxBurstS();
        if (facts.live().requestSeconds() == 0) {
            return CheckResult.noData(NAME, limit, "request events on a serving region since the drill started");
        }
        long longest = facts.live().longestBurstS();
        return new CheckResult(NAME, longest <= limit, longest, limit,
                new LongestRun(facts.plan().detect().errorRate(), facts.live().requestSeconds()));
    }
}

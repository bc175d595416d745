package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;
import java.util.TreeMap;

/**
 * Verification (seed: "cold-start storm after promotion"): after the promotion, the survivor's cold requests are
 * at most {@link #MAX_COLD_SHARE} of its requests, or their p95 stays within its SLO. Signal: request events with
 * {@code cold}.
 */
public final class ColdStartStorm extends Check {
    public static final String NAME = "cold_start_storm";

    public ColdStartStorm() {
        super(NAME);
    }
    public static final double MAX_COLD_SHARE = 0.2;

    record Cold(String region, long coldRequests, long requests, LatencyStats coldLatency, Double sloP95Ms)
            implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("region", region);
            m.put("cold_requests", coldRequests);
            m.put("requests", requests);
            m.put("cold_latency", coldLatency.toEvidence());
            m.put("slo_p95_ms", sloP95Ms);
            m.put("rule", "a storm is a cold share over 0.2 with cold p95 over the SLO");
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        LiveRecord live = facts.live();
        double share = live.requestsAfterPromote() == 0 ? 0 : (double) live.coldAfterPromote() / live.requestsAfterPromote();
        LatencyStats cold = live.coldLatency();
        String survivor = facts.plan().promoteSurvivor();
        double slo = facts.slo(survivor);
        boolean storm = share > MAX_COLD_SHARE && !cold.isEmpty() && cold.p95() > slo;
        return new CheckResult(NAME, !storm, Numbers.round3(share), MAX_COLD_SHARE, new Cold(survivor,
                live.coldAfterPromote(), live.requestsAfterPromote(), cold,
                slo == Double.MAX_VALUE ? null : Numbers.round1(slo)));
    }
}

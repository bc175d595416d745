package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;
import java.util.TreeMap;

/**
 * Verification (seed: "cold-start storm after promotion"): once traffic moved (the route flip was applied), no
 * serving region had both a cold share over {@code acceptance.cold_share_max} and cold requests slower than its
 * SLO. Value: the largest cold share. Signal: request events with {@code cold} on the serving regions.
 */
public final class ColdStartStorm extends Check {
    public static final String NAME = "cold_start_storm";

    public ColdStartStorm() {
        super(NAME);
    }

    /** Per region: {cold, requests} after the flip; the cold latency over them; each region's SLO (ms). */
    record Cold(Map<String, long[]> byRegion, LatencyStats coldLatency, Map<String, Double> slo, double maxShare)
            implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> regions = new TreeMap<>();
            byRegion.forEach((r, c) -> regions.put(r, Map.of("cold_requests", c[0], "requests", c[1],
                    "slo_p95_ms", slo.get(r) == Double.MAX_VALUE ? "no baseline" : Numbers.round1(slo.get(r)))));
            Map<String, Object> m = new TreeMap<>();
            m.put("regions", regions);
            m.put("cold_latency", coldLatency.toEvidence());
            m.put("rule", "a storm is a cold share over " + maxShare + " with cold p95 over the region's SLO");
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        double maxShare = facts.plan().acceptance().coldShareMax();
        Map<String, long[]> byRegion = facts.live().coldByRegion();
        long requests = byRegion.values().stream().mapToLong(c -> c[1]).sum();
        if (requests == 0) {
            return CheckResult.noData(NAME, maxShare, "request events on a serving region after the route flip was applied");
        }
        LatencyStats cold = facts.live().coldLatency();
        Map<String, Double> slo = new TreeMap<>();
        double worstShare = 0;
        boolean storm = false;
        for (Map.Entry<String, long[]> e : byRegion.entrySet()) {
            double share = e.getValue()[1] == 0 ? 0 : (double) e.getValue()[0] / e.getValue()[1];
            double regionSlo = facts.slo(e.getKey());
            slo.put(e.getKey(), regionSlo);
            worstShare = Math.max(worstShare, share);
            storm |= share > maxShare && !cold.isEmpty() && cold.p95() > regionSlo;
        }
        return new CheckResult(NAME, !storm, Numbers.round3(worstShare), maxShare, new Cold(byRegion, cold, slo, maxShare));
    }
}

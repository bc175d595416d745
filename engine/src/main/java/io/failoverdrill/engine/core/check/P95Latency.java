package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;
import java.util.TreeMap;

/**
 * Live check: each region that served while observing kept its worst p95 over any detection window within its SLO
 * ({@code detect.p95_ms}, else its baseline p95 × {@code p95_ratio_max}). Value: the worst p95 relative to its SLO,
 * in ms, against that region's SLO. Signal: request latencies of every serving region.
 */
public final class P95Latency extends Check {
    public static final String NAME = "p95_latency";

    public P95Latency() {
        super(NAME);
    }

    /** Per serving region: worst window p95 and SLO, ms (null p95: no latency seen). */
    record PerRegion(Map<String, Double> worstP95, Map<String, Double> slo, int windowS, Map<String, Object> clamps)
            implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            Map<String, Object> regions = new TreeMap<>();
            slo.forEach((r, s) -> {
                Double p = worstP95.get(r);
                Map<String, Object> row = new TreeMap<>();
                row.put("worst_p95_ms", p == null ? "no data" : Numbers.round1(p));
                row.put("slo_p95_ms", s == Double.MAX_VALUE ? "no baseline" : Numbers.round1(s));
                regions.put(r, row);
            });
            m.put("regions", regions);
            m.put("window_s", windowS);
            m.put("clamps", clamps);
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        Map<String, Double> worst = facts.live().worstP95ByRegion();
        Map<String, Double> slo = new TreeMap<>();
        facts.live().observedRegions().forEach(r -> slo.put(r, facts.slo(r)));
        if (slo.isEmpty()) {
            return CheckResult.noData(NAME, null, "request latencies of a serving region during observe");
        }
        String worstRegion = null;
        double worstRatio = -1;
        for (String r : slo.keySet()) {
            if (!worst.containsKey(r)) {
                return CheckResult.noData(NAME, null, "request latencies from region " + r + " during observe");
            }
            double ratio = worst.get(r) / slo.get(r);
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worstRegion = r;
            }
        }
        double limit = slo.get(worstRegion);
        return new CheckResult(NAME, worstRatio <= 1, Numbers.round1(worst.get(worstRegion)),
                limit == Double.MAX_VALUE ? null : Numbers.round1(limit),
                new PerRegion(worst, slo, facts.plan().detect().windowS(), facts.live().clampLog()));
    }
}

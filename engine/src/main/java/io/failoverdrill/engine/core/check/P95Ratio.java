package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;
import java.util.TreeMap;

/**
 * Acceptance target: p95 latency within {@code acceptance.p95_ratio_max} of the pre-incident baseline for served
 * markets — for every region that served while observing, its p95 over the observation phase against its own
 * baseline p95. Value: the worst ratio. Signal: request latencies in both windows, per region.
 */
public final class P95Ratio extends Check {
    public static final String NAME = "p95_ratio";

    public P95Ratio() {
        super(NAME);
    }

    record PerRegion(Map<String, LatencyStats> baseline, Map<String, LatencyStats> observed, int observeS,
                     long lateEvents) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> regions = new TreeMap<>();
            baseline.forEach((r, b) -> {
                LatencyStats o = observed.get(r);
                Map<String, Object> row = new TreeMap<>();
                row.put("baseline", b.toEvidence());
                row.put("observed", o.toEvidence());
                row.put("ratio", ratio(b, o));
                regions.put(r, row);
            });
            Map<String, Object> m = new TreeMap<>();
            m.put("regions", regions);
            m.put("observe_s", observeS);
            m.put("late_events", lateEvents);
            return m;
        }
    }

    static Double ratio(LatencyStats before, LatencyStats after) {
        return !before.isEmpty() && !after.isEmpty() && before.p95() > 0 ? Numbers.round3(after.p95() / before.p95()) : null;
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        double max = facts.plan().acceptance().p95RatioMax();
        Map<String, LatencyStats> baseline = new TreeMap<>();
        Map<String, LatencyStats> observed = new TreeMap<>();
        for (String r : facts.live().observedRegions()) {
            baseline.put(r, facts.baseline(r));
            observed.put(r, facts.observed(r));
        }
        if (baseline.isEmpty()) {
            return CheckResult.noData(NAME, max, "request latencies of a serving region during observe");
        }
        Double worst = null;
        for (String r : baseline.keySet()) {
            Double ratio = ratio(baseline.get(r), observed.get(r));
            if (ratio == null) {
                String which = baseline.get(r).isEmpty() ? "the baseline window" : "the observation phase";
                return CheckResult.noData(NAME, max, "request latencies of region " + r + " in " + which);
            }
            worst = worst == null ? ratio : Math.max(worst, ratio);
        }
        return new CheckResult(NAME, worst <= max, worst, max, new PerRegion(baseline, observed,
                facts.plan().timeline().observeS(), facts.lateEvents()));
    }
}

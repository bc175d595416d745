package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;
import java.util.TreeMap;

/**
 * Acceptance target: a serving region's p95 over the observation phase is within {@code acceptance.p95_ratio_max}
 * of its pre-drill baseline p95. Signal: request latencies in both windows.
 */
public final class P95Ratio extends Check {
    public static final String NAME = "p95_ratio";
    private final String region;

    public P95Ratio(String region) {
        super(NAME);
        this.region = region;
    }

    record BaselineVsObserved(String region, LatencyStats baseline, LatencyStats observed, int observeS,
                              long lateEvents) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("region", region);
            m.put("baseline", baseline.toEvidence());
            m.put("observed", observed.toEvidence());
            m.put("observe_s", observeS);
            m.put("late_events", lateEvents);
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        LatencyStats before = facts.baseline(region);
        LatencyStats after = facts.observed(region);
        boolean measurable = !before.isEmpty() && !after.isEmpty() && before.p95() > 0;
        Double ratio = measurable ? Numbers.round3(after.p95() / before.p95()) : null;
        double max = facts.plan().acceptance().p95RatioMax();
        return new CheckResult(NAME, ratio != null && ratio <= max, ratio, max, new BaselineVsObserved(region, before,
                after, facts.plan().timeline().observeS(), facts.lateEvents()));
    }
}

package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;
import java.util.TreeMap;

/**
 * Pre-check: every region has a usable latency baseline over the baseline window (at least
 * {@code acceptance.baseline_samples_min} successful requests, 20 by default). Value: the survivor's baseline p95 (ms).
 */
public final class BaselineP95 extends Check {
    public static final String NAME = "baseline_p95";

    public BaselineP95() {
        super(NAME);
    }

    record Baselines(Map<String, LatencyStats> byRegion, int windowS, int minSamples) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            byRegion.forEach((r, s) -> m.put(r, s.toEvidence()));
            m.put("window_s", windowS);
            m.put("min_samples", minSamples);
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        int minSamples = facts.plan().acceptance().baselineSamplesMin();
        Map<String, LatencyStats> byRegion = new TreeMap<>();
        boolean pass = true;
        for (String region : facts.plan().regions()) {
            LatencyStats s = facts.baseline(region);
            byRegion.put(region, s);
            pass &= s.count() >= minSamples;
        }
        LatencyStats survivor = facts.baseline(facts.plan().promoteSurvivor());
        Object value = survivor.isEmpty() ? null : Numbers.round1(survivor.p95());
        return new CheckResult(NAME, pass, value, null,
                new Baselines(byRegion, facts.plan().timeline().baselineS(), minSamples));
    }
}

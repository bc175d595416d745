package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;
import java.util.TreeMap;

/**
 * Live check: the worst p95 (ms) over any detection window of a serving region while observing stays within the
 * survivor's SLO ({@code detect.p95_ms}, else its baseline p95 × {@code p95_ratio_max}). Signal: request events.
 */
public final class P95Latency extends Check {
    public static final String NAME = "p95_latency";

    public P95Latency() {
        super(NAME);
    }

    record Window(int windowS, Map<String, Object> clamps) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("window_s", windowS);
            m.put("clamps", clamps);
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        double worst = facts.live().worstP95();
        if (Double.isNaN(worst)) {
            return CheckResult.noData(NAME, null, "request latencies during observe");
        }
        double slo = facts.slo(facts.plan().promoteSurvivor());
        return new CheckResult(NAME, worst <= slo, Numbers.round1(worst), Numbers.round1(slo),
                new Window(facts.plan().detect().windowS(), facts.live().clampLog()));
    }
}

package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;
import java.util.TreeMap;

/**
 * Live check: the worst error rate over any detection window of a serving region while observing stays within
 * {@code detect.error_rate}. Signal: request events.
 */
public final class ErrorRate extends Check {
    public static final String NAME = "error_rate";

    public ErrorRate() {
        super(NAME);
    }

    record WorstWindow(int windowS, Map<String, Object> worstWindow) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("window_s", windowS);
            m.put("worst_window", worstWindow);
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        double worst = facts.live().worstErrorRate();
        double limit = facts.plan().detect().errorRate();
        if (Double.isNaN(worst)) {
            return CheckResult.noData(NAME, limit, "requests during observe");
        }
        return new CheckResult(NAME, worst <= limit, Numbers.round3(worst), limit,
                new WorstWindow(facts.plan().detect().windowS(), facts.live().worstErrorWindow()));
    }
}

package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;

/**
 * Live check: the worst ΔS of the probe set on serving regions while observing stays under the risk band
 * ({@code rag_probe.delta_s_risk}). Signal: rag_probe events.
 */
public final class DeltaSProbe extends Check {
    public static final String NAME = "delta_s_probe";

    public DeltaSProbe() {
        super(NAME);
    }

    record Worst() implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("measure", "worst ΔS of the probe set while serving");
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        double worst = facts.live().worstDeltaS();
        double risk = facts.plan().ragProbe().deltaSRisk();
        if (Double.isNaN(worst)) {
            return CheckResult.noData(NAME, risk, "rag_probe events during observe");
        }
        return new CheckResult(NAME, worst < risk, Numbers.round3(worst), risk, new Worst());
    }
}

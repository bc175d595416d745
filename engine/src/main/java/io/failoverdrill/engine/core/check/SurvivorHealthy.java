package io.failoverdrill.engine.core.check;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Never fail over into a failure: at the cutover decision every region given traffic or the writer was healthy by
 * the detection rule ({@link RegionHealth}), and no serving region was called down afterwards. It fails — and the
 * drill holds the current weights (fails open) and aborts — when the promoted survivor, or every survivor, is not
 * healthy at the decision, or when a serving region goes down while the drill observes.
 */
public final class SurvivorHealthy extends Check {
    public static final String NAME = "survivor_healthy";

    public SurvivorHealthy() {
        super(NAME);
    }

    record AtDecision(Map<String, RegionHealth> targets, List<String> unhealthy, String outcome) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            Map<String, Object> regions = new TreeMap<>();
            targets.forEach((r, h) -> regions.put(r, h.toEvidence()));
            m.put("at_decision", regions);
            m.put("unhealthy", unhealthy);
            m.put("outcome", outcome);
            return m;
        }
    }

    record DownAfterCutover(OutageDetected.Detection detection) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>(detection.toEvidence());
            m.put("outcome", "a serving region went down after the cutover: no further cutover, weights held, drill aborted");
            return m;
        }
    }

    /** The decision found no healthy target for traffic or the writer: nothing moves, the drill aborts. */
    public static CheckResult blocked(Map<String, RegionHealth> targets, List<String> unhealthy) {
        return new CheckResult(NAME, false, (long) unhealthy.size(), 0, new AtDecision(targets, unhealthy,
                "no healthy target: weights held (fail open), no cutover, drill aborted"));
    }

    /** A serving region went down by the detection rule after the cutover. */
    public static CheckResult downAfterCutover(OutageDetected.Detection detection) {
        return new CheckResult(NAME, false, 1L, 0, new DownAfterCutover(detection));
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        Map<String, RegionHealth> atDecision = facts.healthAtDecision();
        if (atDecision.isEmpty()) {
            return CheckResult.noData(NAME, 0, "a cutover decision with the survivors' request telemetry");
        }
        List<String> unhealthy = atDecision.values().stream().filter(h -> !h.healthy()).map(RegionHealth::region).toList();
        return new CheckResult(NAME, true, (long) unhealthy.size(), 0, new AtDecision(atDecision, unhealthy,
                "every region given traffic was healthy at the decision and no serving region went down since"));
    }
}

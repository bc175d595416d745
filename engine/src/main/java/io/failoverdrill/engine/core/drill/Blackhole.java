package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.OutageDetected;
import io.failoverdrill.schemas.plan.DrillType;

import java.util.Map;
import java.util.TreeMap;

/**
 * B) Hard outage (blackhole): the region's ingress and egress are blocked.
 * <ul>
 *   <li>precheck: after the gate the drill is <em>armed</em>; it evacuates only once telemetry shows the region
 *       down by the {@link OutageDetector} (quorum of live observers, dwell) — a {@code fault} control event is
 *       evidence, never the trigger;</li>
 *   <li>evacuate, promote, observe, verify: as a brownout.</li>
 * </ul>
 */
final class Blackhole implements DrillScript {
    private OutageDetector detector;

    @Override
    public DrillType type() {
        return DrillType.BLACKHOLE;
    }

    @Override
    public Scenario scenario() {
        return new Scenario("blackhole", Scenario.FaultTiming.AFTER_BASELINE, false);
    }

    @Override
    public void gatePassed(Drill d, long nowMs, Map<String, Object> evidence) {
        detector = new OutageDetector(d.plan().evacuate(), d.plan().detect(), d.plan().routing().hysteresisS());
    }

    @Override
    public void armed(Drill d, long nowMs) {
        detector.evaluate(nowMs, d.regions().get(d.plan().evacuate()), d.clock(), d.actions().faultEvidence())
                .ifPresent(detection -> {
                    d.emit(nowMs, OutageDetected.verdict(detection, detector.badVotes()));
                    d.evacuate(nowMs, "evacuate.outage", new TreeMap<>(detection.toEvidence()));
                });
    }

    @Override
    public String dwell() {
        return detector == null ? null : detector.dwell();
    }
}

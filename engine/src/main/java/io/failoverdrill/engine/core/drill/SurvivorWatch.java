package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.OutageDetected;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * After the cutover, the regions taking the traffic are watched by the same detection rule that calls a region down
 * ({@link OutageDetector}: quorum of live observers, dwell): the first one called down ends the drill.
 */
final class SurvivorWatch {
    private final Map<String, OutageDetector> detectors = new TreeMap<>();

    /** Evaluates second {@code nowMs} for every serving region; the detection of the first one down, if any. */
    Optional<OutageDetected.Detection> evaluate(Drill d, long nowMs) {
        for (String region : d.served()) {
            OutageDetector detector = detectors.computeIfAbsent(region,
                    r -> new OutageDetector(r, d.plan().detect(), d.plan().routing().hysteresisS()));
            Optional<OutageDetected.Detection> down = detector.evaluate(nowMs, d.regions().get(region), d.clock(),
                    d.actions().faultEvidence());
            if (down.isPresent()) {
                return down;
            }
        }
        return Optional.empty();
    }
}

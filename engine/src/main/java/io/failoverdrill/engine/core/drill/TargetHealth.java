package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.RegionHealth;
import io.failoverdrill.engine.core.signal.LastValue;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.engine.core.time.EventClock;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The detection rule applied to a target before traffic or the writer moves to it: over the last
 * {@code detect.health_window_s} seconds, each live observer's failure rate; the region is down when at least the
 * quorum of them (capped at the number of observers with requests) saw it above {@code detect.outage_enter}, or when
 * as many report it not ready. Without request telemetry from a live observer it is not healthy: no evidence, no move.
 */
public final class TargetHealth {
    private TargetHealth() {
    }

    public static RegionHealth of(DrillPlan plan, RegionSignals signals, EventClock clock, long nowMs) {
        int window = plan.detect().healthWindowS();
        Map<String, Double> rates = new TreeMap<>();
        signals.failureRateByObserver(nowMs, window).forEach((o, r) -> {
            if (clock.isLive(o) && !Double.isNaN(r)) {
                rates.put(o, r);
            }
        });
        List<String> down = rates.entrySet().stream().filter(e -> e.getValue() > plan.detect().outageEnter())
                .map(Map.Entry::getKey).toList();
        List<String> notReady = new ArrayList<>();
        int healthReporters = 0;
        for (Map.Entry<String, LastValue<Telemetry.Health>> e : signals.health().entrySet()) {
            Telemetry.Health h = e.getValue().value();
            if (h != null && clock.isLive(e.getKey())) {
                healthReporters++;
                if (!h.ready()) {
                    notReady.add(e.getKey());
                }
            }
        }
        int quorum = plan.detect().quorum();
        String reason = null;
        if (rates.isEmpty()) {
            reason = "no data: no request telemetry from a live observer in the last " + window + " s";
        } else if (down.size() >= Math.min(quorum, rates.size())) {
            reason = down.size() + " of " + rates.size() + " live observers saw a failure rate over "
                    + plan.detect().outageEnter() + " in the last " + window + " s";
        } else if (!notReady.isEmpty() && notReady.size() >= Math.min(quorum, healthReporters)) {
            reason = notReady.size() + " of " + healthReporters + " observers report it not ready";
        }
        return new RegionHealth(signals.region(), reason == null, reason, rates, down, notReady, window);
    }
}

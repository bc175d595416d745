package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a region may take traffic or the writer, by the detection rule: over the last {@code windowS} seconds,
 * fewer than the quorum of its live observers saw its failure rate above {@code detect.outage_enter}, and no quorum
 * reports it not ready. Without request telemetry from a live observer it is not healthy ("no data").
 *
 * @param failureRateByObserver each live observer's failure rate over the window
 * @param reason why it is not healthy, or null
 */
public record RegionHealth(String region, boolean healthy, String reason, Map<String, Double> failureRateByObserver,
                           List<String> observersDown, List<String> notReady, int windowS) {
    public Map<String, Object> toEvidence() {
        Map<String, Object> m = new TreeMap<>();
        m.put("healthy", healthy);
        if (reason != null) {
            m.put("reason", reason);
        }
        Map<String, Object> rates = new TreeMap<>();
        failureRateByObserver.forEach((o, r) -> rates.put(o, Numbers.round3(r)));
        m.put("failure_rate_by_observer", rates);
        m.put("observers_down", observersDown);
        m.put("not_ready", notReady);
        m.put("window_s", windowS);
        return m;
    }
}

package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict that a region is down by the detection rule: at least {@code detect.quorum} live observers saw a
 * failure rate over the outage threshold for {@code routing.hysteresis_s} seconds. Its evidence is also the reason
 * of the evacuation it triggers.
 */
public final class OutageDetected {
    public static final String NAME = "outage_detected";

    private OutageDetected() {
    }

    /** @param failureRateByObserver each live observer's failure rate over the window (NaN: no requests) */
    public record Detection(String region, List<String> observersDown, int quorum, int dwellS,
                            Map<String, Double> failureRateByObserver, int windowS, List<String> faultsAnnounced)
            implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("region", region);
            m.put("observers_down", observersDown);
            m.put("quorum", quorum);
            m.put("dwell_s", dwellS);
            Map<String, Object> rates = new TreeMap<>();
            failureRateByObserver.forEach((o, v) -> rates.put(o, Double.isNaN(v) ? null : Numbers.round3(v)));
            m.put("failure_rate_by_observer", rates);
            m.put("window_s", windowS);
            m.put("faults_announced", faultsAnnounced);
            return m;
        }
    }

    /** The verdict: {@code badVotes} observers voted down against the quorum. */
    public static CheckResult verdict(Detection d, long badVotes) {
        return new CheckResult(NAME, true, badVotes, d.quorum(), d);
    }
}

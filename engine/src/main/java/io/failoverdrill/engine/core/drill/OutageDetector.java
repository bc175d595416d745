package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.OutageDetected;
import io.failoverdrill.engine.core.rule.Hysteresis;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.engine.core.time.EventClock;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Calls a region down from telemetry alone: each second, every live observer votes on its own failure rate over
 * that second (bad above {@link #ENTER}, good again below {@link #EXIT}); the region is down once at least
 * {@code detect.quorum} observers vote bad for {@code routing.hysteresis_s} consecutive seconds.
 */
public final class OutageDetector {
    /** An observer votes bad above this failure rate… */
    public static final double ENTER = 0.5;
    /** …and good again at or below this one. */
    public static final double EXIT = 0.1;
    /** Each second votes on its own: the dwell, not a moving average, does the smoothing. */
    static final int WINDOW_S = 1;

    private final String region;
    private final int quorum;
    private final int dwellS;
    private final Hysteresis rule;

    public OutageDetector(String region, int quorum, int dwellS) {
        this.region = region;
        this.quorum = quorum;
        this.dwellS = dwellS;
        this.rule = new Hysteresis(new Hysteresis.Config(ENTER, EXIT, true, dwellS, quorum, 4, 3600));
    }

    /** Evaluates second {@code nowMs}; the detection when the region was just called down, else empty. */
    public Optional<OutageDetected.Detection> evaluate(long nowMs, RegionSignals signals, EventClock clock,
                                                      List<String> faultsAnnounced) {
        Map<String, Double> rates = new TreeMap<>();
        signals.failureRateByObserver(nowMs, WINDOW_S).forEach((observer, rate) -> {
            if (clock.isLive(observer)) {
                rates.put(observer, rate);
            }
        });
        if (rule.evaluate(nowMs, rates) != Hysteresis.Change.FIRED) {
            return Optional.empty();
        }
        return Optional.of(new OutageDetected.Detection(region, rule.badObservers(), quorum, dwellS, rates, WINDOW_S,
                faultsAnnounced));
    }

    /** Observers voting down now. */
    public int badVotes() {
        return rule.badVotes();
    }

    /** A dwell in progress ("outage held 2/3 s, bad observers [..]"), or null. */
    public String dwell() {
        if (rule.dwellProgressS() <= 0) {
            return null;
        }
        return "outage " + (rule.firing() ? "clear " : "held ") + rule.dwellProgressS() + "/" + dwellS
                + " s, bad observers " + rule.badObservers();
    }
}

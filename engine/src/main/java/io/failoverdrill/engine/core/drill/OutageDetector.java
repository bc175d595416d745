package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.OutageDetected;
import io.failoverdrill.engine.core.rule.Hysteresis;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.engine.core.time.EventClock;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Calls a region down from telemetry alone: each second, every live observer votes on its own failure rate over
 * that second (bad above {@code detect.outage_enter}, good again at or below {@code detect.outage_exit}); the region
 * is down once at least {@code detect.quorum} observers vote bad for {@code routing.hysteresis_s} consecutive
 * seconds.
 */
public final class OutageDetector {
    /** Each second votes on its own: the dwell, not a moving average, does the smoothing. */
    static final int WINDOW_S = 1;

    private final String region;
    private final int quorum;
    private final int dwellS;
    private final Hysteresis rule;

    public OutageDetector(String region, DrillPlan.Detect detect, int dwellS) {
        this.region = region;
        this.quorum = detect.quorum();
        this.dwellS = dwellS;
        this.rule = new Hysteresis(new Hysteresis.Config(detect.outageEnter(), detect.outageExit(), true, dwellS, quorum,
                4, 3600));
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

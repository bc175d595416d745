package io.failoverdrill.engine.core.signal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.failoverdrill.schemas.event.Telemetry;

import java.util.List;

/** What one region's request events of one event-time second add up to. Reused by the ring after a reset. */
final class RequestSecond {
    /** Error classes in a fixed order (index into {@link #errorsByClass}). */
    static final List<String> CLASSES = Telemetry.ERROR_CLASS_ORDER;

    long second = Long.MIN_VALUE;
    final DDSketch hot = Sketches.newLatencySketch();
    final DDSketch cold = Sketches.newLatencySketch();
    long requests;
    long errors;
    long coldCount;
    /** Per observer: {requests, failures}. Failures: every error class but the client's own (auth, http_4xx). */
    final java.util.Map<String, long[]> byObserver = new java.util.TreeMap<>();
    final long[] errorsByClass = new long[CLASSES.size()];

    void reset(long newSecond) {
        second = newSecond;
        hot.clear();
        cold.clear();
        requests = 0;
        errors = 0;
        coldCount = 0;
        byObserver.clear();
        java.util.Arrays.fill(errorsByClass, 0);
    }

    void add(String observer, Telemetry.Request r) {
        requests++;
        long[] o = byObserver.computeIfAbsent(observer, k -> new long[2]);
        o[0]++;
        if (r.error() != null && !r.error().equals("auth") && !r.error().equals("http_4xx")) {
            o[1]++;
        }
        if (r.isCold()) {
            coldCount++;
        }
        if (r.error() != null) {
            errors++;
            errorsByClass[CLASSES.indexOf(r.error())]++;
        } else {
            (r.isCold() ? cold : hot).accept(r.latencyMs());
        }
    }

    /** Requests that spend the SLO's error budget: every error class but a client's malformed request (http_4xx). */
    long budgetFailures() {
        return errors - errorsByClass[CLASSES.indexOf("http_4xx")];
    }

    /** Failures a user would see as a 5xx at the edge: http_5xx, timeout and connect errors. */
    long userVisibleFailures() {
        return errorsByClass[CLASSES.indexOf("http_5xx")] + errorsByClass[CLASSES.indexOf("timeout")]
                + errorsByClass[CLASSES.indexOf("connect")];
    }
}

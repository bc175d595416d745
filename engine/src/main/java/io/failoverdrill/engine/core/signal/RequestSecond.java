package io.failoverdrill.engine.core.signal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.failoverdrill.schemas.event.Telemetry;

import java.util.List;

/** What one region's request events of one event-time second add up to. Reused by the ring after a reset. */
final class RequestSecond {
    /** Error classes in a fixed order (index into {@link #errorsByClass}). */
    static final List<String> CLASSES = List.of("connect", "tls", "body_read", "tool_call", "timeout", "http_5xx", "auth");

    long second = Long.MIN_VALUE;
    final DDSketch hot = Sketches.newLatencySketch();
    final DDSketch cold = Sketches.newLatencySketch();
    long requests;
    long errors;
    final long[] errorsByClass = new long[CLASSES.size()];

    void reset(long newSecond) {
        second = newSecond;
        hot.clear();
        cold.clear();
        requests = 0;
        errors = 0;
        java.util.Arrays.fill(errorsByClass, 0);
    }

    void add(Telemetry.Request r) {
        requests++;
        if (r.error() != null) {
            errors++;
            errorsByClass[CLASSES.indexOf(r.error())]++;
        } else {
            (r.isCold() ? cold : hot).accept(r.latencyMs());
        }
    }

    long http5xxOrTimeout() {
        return errorsByClass[CLASSES.indexOf("http_5xx")] + errorsByClass[CLASSES.indexOf("timeout")];
    }
}

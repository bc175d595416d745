package io.failoverdrill.engine.core.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

    /** Adds the event's requests ({@link Telemetry.Request#requests()}: 1, or a histogram bucket's count). */
    void add(String observer, Telemetry.Request r) {
        long n = r.requests();
        requests += n;
        long[] o = byObserver.computeIfAbsent(observer, k -> new long[2]);
        o[0] += n;
        if (r.error() != null && !r.error().equals("auth") && !r.error().equals("http_4xx")) {
            o[1] += n;
        }
        if (r.isCold()) {
            coldCount += n;
        }
        if (r.error() != null) {
            errors += n;
            errorsByClass[CLASSES.indexOf(r.error())] += n;
        } else {
            (r.isCold() ? cold : hot).accept(r.latencyMs(), n);
        }
    }

    /** This second's counts and sketches, for a snapshot. */
    ObjectNode state() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("second", second).put("requests", requests).put("errors", errors).put("cold_count", coldCount);
        n.set("hot", Sketches.state(hot));
        n.set("cold", Sketches.state(cold));
        ObjectNode observers = n.putObject("by_observer");
        byObserver.forEach((o, c) -> observers.putArray(o).add(c[0]).add(c[1]));
        ArrayNode classes = n.putArray("errors_by_class");
        for (long c : errorsByClass) {
            classes.add(c);
        }
        return n;
    }

    /** Replaces this second's state with {@link #state()}'s. */
    void restore(JsonNode n) {
        reset(n.get("second").longValue());
        requests = n.get("requests").longValue();
        errors = n.get("errors").longValue();
        coldCount = n.get("cold_count").longValue();
        Sketches.restore(hot, n.get("hot"));
        Sketches.restore(cold, n.get("cold"));
        n.get("by_observer").fields().forEachRemaining(e ->
                byObserver.put(e.getKey(), new long[]{e.getValue().get(0).longValue(), e.getValue().get(1).longValue()}));
        for (int i = 0; i < errorsByClass.length; i++) {
            errorsByClass[i] = n.get("errors_by_class").get(i).longValue();
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

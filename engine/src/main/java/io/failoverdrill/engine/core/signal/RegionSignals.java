package io.failoverdrill.engine.core.signal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Everything known about one region, in bounded memory: a ring of 1-second request buckets (hot and cold latency
 * sketches, error counts by class) spanning the detection window plus the seconds that may still arrive ahead of
 * the watermark, and the last value of each state signal per observer. A second is <em>sealed</em> once the
 * watermark has passed its end; only sealed seconds are read.
 */
public final class RegionSignals {
    private final String region;
    private final RequestSecond[] ring;
    private long sealedThrough = Long.MIN_VALUE; // last sealed second (epoch seconds)
    private final Map<String, LastValue<Telemetry.Health>> health = new TreeMap<>();
    private final Map<String, LastValue<Telemetry.IndexMeta>> index = new TreeMap<>();
    private final Map<String, LastValue<Telemetry.Cache>> cache = new TreeMap<>();
    private final Map<String, LastValue<Telemetry.Backlog>> backlog = new TreeMap<>();
    private final Map<String, LastValue<Telemetry.RagProbe>> rag = new TreeMap<>();

    /** @param capacitySeconds ring length: window seconds + seconds events may run ahead of the watermark */
    public RegionSignals(String region, int capacitySeconds) {
        this.region = region;
        this.ring = new RequestSecond[capacitySeconds];
        for (int i = 0; i < capacitySeconds; i++) {
            ring[i] = new RequestSecond();
        }
    }

    public String region() {
        return region;
    }

    /**
     * Adds a telemetry event of this region. Returns false (and ignores it) when its second is too far ahead of
     * the last sealed second to fit the ring.
     */
    public boolean record(TelemetryEvent e) {
        Telemetry p = e.payload();
        String key = e.observer();
        if (p instanceof Telemetry.Request r) {
            long sec = Math.floorDiv(e.tsMs(), 1000);
            if (sealedThrough != Long.MIN_VALUE && sec - sealedThrough >= ring.length) {
                return false;
            }
            bucket(sec).add(e.observer(), r);
        } else if (p instanceof Telemetry.Health h) {
            health.computeIfAbsent(key, k -> new LastValue<>()).offer(e.tsMs(), e.eventId(), h);
        } else if (p instanceof Telemetry.IndexMeta m) {
            index.computeIfAbsent(key, k -> new LastValue<>()).offer(e.tsMs(), e.eventId(), m);
        } else if (p instanceof Telemetry.Cache c) {
            cache.computeIfAbsent(key, k -> new LastValue<>()).offer(e.tsMs(), e.eventId(), c);
        } else if (p instanceof Telemetry.RagProbe q) {
            rag.computeIfAbsent(q.questionId() + "\u0000" + key, k -> new LastValue<>()).offer(e.tsMs(), e.eventId(), q);
        } else if (p instanceof Telemetry.Backlog b) {
            backlog.computeIfAbsent(key + "\u0000" + b.queue(), k -> new LastValue<>()).offer(e.tsMs(), e.eventId(), b);
        }
        return true;
    }

    private RequestSecond bucket(long sec) {
        RequestSecond b = ring[(int) Math.floorMod(sec, (long) ring.length)];
        if (b.second != sec) {
            b.reset(sec);
        }
        return b;
    }

    /** Seals every second before {@code untilMs} (a whole second). */
    public void sealUntil(long untilMs) {
        long last = Math.floorDiv(untilMs, 1000) - 1;
        if (last > sealedThrough) {
            sealedThrough = last;
        }
        health.values().forEach(v -> v.sealUntil(untilMs));
        index.values().forEach(v -> v.sealUntil(untilMs));
        cache.values().forEach(v -> v.sealUntil(untilMs));
        backlog.values().forEach(v -> v.sealUntil(untilMs));
        rag.values().forEach(v -> v.sealUntil(untilMs));
    }

    /** The sealed bucket of second {@code sec}, or null when it had no requests or has left the ring. */
    private RequestSecond sealed(long sec) {
        if (sec > sealedThrough) {
            return null;
        }
        RequestSecond b = ring[(int) Math.floorMod(sec, (long) ring.length)];
        return b.second == sec ? b : null;
    }

    /** Merges second {@code sec}'s hot (or cold) latencies into {@code target}. */
    public void mergeSecondInto(long sec, boolean cold, DDSketch target) {
        RequestSecond b = sealed(sec);
        if (b != null) {
            target.mergeWith(cold ? b.cold : b.hot);
        }
    }

    /** Latency over the {@code windowS} sealed seconds ending at {@code untilMs}. */
    public LatencyStats latency(long untilMs, int windowS, boolean cold) {
        DDSketch merged = Sketches.newLatencySketch();
        long end = Math.floorDiv(untilMs, 1000);
        for (long s = end - windowS; s < end; s++) {
            mergeSecondInto(s, cold, merged);
        }
        return LatencyStats.of(merged);
    }

    /** Requests and errors (by class) over the {@code windowS} sealed seconds ending at {@code untilMs}. */
    public ErrorStats errors(long untilMs, int windowS) {
        long end = Math.floorDiv(untilMs, 1000);
        long requests = 0;
        long errors = 0;
        long[] byClass = new long[RequestSecond.CLASSES.size()];
        for (long s = end - windowS; s < end; s++) {
            RequestSecond b = sealed(s);
            if (b != null) {
                requests += b.requests;
                errors += b.errors;
                for (int i = 0; i < byClass.length; i++) {
                    byClass[i] += b.errorsByClass[i];
                }
            }
        }
        Map<String, Long> classes = new TreeMap<>();
        for (int i = 0; i < byClass.length; i++) {
            if (byClass[i] > 0) {
                classes.put(RequestSecond.CLASSES.get(i), byClass[i]);
            }
        }
        return new ErrorStats(requests, errors, classes);
    }

    /** Requests failing as a user would see it (http_5xx, timeout, connect) in sealed second {@code sec}, and all requests. */
    public long[] badAndTotal(long sec) {
        RequestSecond b = sealed(sec);
        return b == null ? new long[]{0, 0} : new long[]{b.userVisibleFailures(), b.requests};
    }

    /**
     * Failure rate per observer over the {@code windowS} sealed seconds ending at {@code untilMs}: failed requests
     * (every error class but the client's own, auth and http_4xx) ÷ requests; observers without requests in the
     * window are absent.
     */
    public Map<String, Double> failureRateByObserver(long untilMs, int windowS) {
        long end = Math.floorDiv(untilMs, 1000);
        Map<String, long[]> sums = new TreeMap<>();
        for (long s = end - windowS; s < end; s++) {
            RequestSecond b = sealed(s);
            if (b != null) {
                b.byObserver.forEach((o, c) -> {
                    long[] t = sums.computeIfAbsent(o, k -> new long[2]);
                    t[0] += c[0];
                    t[1] += c[1];
                });
            }
        }
        Map<String, Double> out = new TreeMap<>();
        sums.forEach((o, t) -> out.put(o, t[0] == 0 ? Double.NaN : (double) t[1] / t[0]));
        return out;
    }

    /** Requests spending the SLO's error budget (every class but http_4xx) in sealed second {@code sec}. */
    public long budgetFailures(long sec) {
        RequestSecond b = sealed(sec);
        return b == null ? 0 : b.budgetFailures();
    }

    /** Cold requests and all requests in sealed second {@code sec}. */
    public long[] coldAndTotal(long sec) {
        RequestSecond b = sealed(sec);
        return b == null ? new long[]{0, 0} : new long[]{b.coldCount, b.requests};
    }

    /** Auth (401/403) failures in sealed second {@code sec}. */
    public long authFailures(long sec) {
        RequestSecond b = sealed(sec);
        return b == null ? 0 : b.errorsByClass[RequestSecond.CLASSES.indexOf("auth")];
    }

    /** Latest RAG probe result per (question, observer) key. */
    public Map<String, LastValue<Telemetry.RagProbe>> rag() {
        return rag;
    }

    /** The largest current backlog length over all queues and observers, or -1 without data. */
    public long backlogLength() {
        return backlog.values().stream().filter(v -> v.value() != null).mapToLong(v -> v.value().length()).max().orElse(-1);
    }

    /** The largest current oldest-item age (ms) over all queues and observers, or -1 without data. */
    public double backlogOldestAgeMs() {
        return backlog.values().stream().filter(v -> v.value() != null).mapToDouble(v -> v.value().oldestAgeMs()).max().orElse(-1);
    }

    /** The index metadata every observer of this region agrees on, or null (no data, or observers disagree). */
    public Telemetry.IndexMeta agreedIndex() {
        Telemetry.IndexMeta agreed = null;
        for (LastValue<Telemetry.IndexMeta> v : index.values()) {
            Telemetry.IndexMeta m = v.value();
            if (m == null) {
                continue;
            }
            if (agreed != null && !sameIndex(agreed, m)) {
                return null;
            }
            agreed = m;
        }
        return agreed;
    }

    /** Same INDEX_HASH, metric and analyzer. */
    public static boolean sameIndex(Telemetry.IndexMeta a, Telemetry.IndexMeta b) {
        return a.indexHash().equals(b.indexHash()) && a.metric().equals(b.metric()) && a.analyzer().equals(b.analyzer());
    }

    public Map<String, LastValue<Telemetry.Health>> health() {
        return health;
    }

    public Map<String, LastValue<Telemetry.IndexMeta>> index() {
        return index;
    }

    public Map<String, LastValue<Telemetry.Cache>> cache() {
        return cache;
    }

    public Map<String, LastValue<Telemetry.Backlog>> backlog() {
        return backlog;
    }

    /**
     * Everything this region knows, for a snapshot: the sealed-through second, the ring's seconds, and each state
     * signal's current and pending values (as telemetry events on the wire).
     */
    public ObjectNode state() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("sealed_through", sealedThrough);
        ArrayNode seconds = n.putArray("seconds");
        for (RequestSecond b : ring) {
            if (b.second != Long.MIN_VALUE) {
                seconds.add(b.state());
            }
        }
        n.set("health", state(health, key -> key));
        n.set("index", state(index, key -> key));
        n.set("cache", state(cache, key -> key));
        n.set("backlog", state(backlog, key -> key.substring(0, key.indexOf('\u0000'))));
        n.set("rag", state(rag, key -> key.substring(key.indexOf('\u0000') + 1)));
        return n;
    }

    /** Replaces this region's state with {@link #state()}'s (of a region with the same ring length). */
    public void restore(JsonNode n) {
        sealedThrough = n.get("sealed_through").longValue();
        for (RequestSecond b : ring) {
            b.reset(Long.MIN_VALUE);
        }
        for (JsonNode s : n.get("seconds")) {
            ring[(int) Math.floorMod(s.get("second").longValue(), (long) ring.length)].restore(s);
        }
        restore(health, n.get("health"), Telemetry.Health.class);
        restore(index, n.get("index"), Telemetry.IndexMeta.class);
        restore(cache, n.get("cache"), Telemetry.Cache.class);
        restore(backlog, n.get("backlog"), Telemetry.Backlog.class);
        restore(rag, n.get("rag"), Telemetry.RagProbe.class);
    }

    private <T extends Telemetry> ObjectNode state(Map<String, LastValue<T>> values, UnaryOperator<String> observerOfKey) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        values.forEach((key, v) -> {
            ObjectNode entry = n.putObject(key);
            String observer = observerOfKey.apply(key);
            if (v.current() != null) {
                entry.set("current", event(v.current(), observer));
            }
            ArrayNode pending = entry.putArray("pending");
            v.pending().forEach(s -> pending.add(event(s, observer)));
        });
        return n;
    }

    private JsonNode event(LastValue.Stamped<? extends Telemetry> s, String observer) {
        return Codec.parse(Codec.encode(new TelemetryEvent(s.eventId(), region, observer, s.tsMs(), null, s.value())));
    }

    private static <T extends Telemetry> void restore(Map<String, LastValue<T>> values, JsonNode n, Class<T> type) {
        values.clear();
        n.fields().forEachRemaining(e -> {
            List<LastValue.Stamped<T>> pending = new ArrayList<>();
            e.getValue().get("pending").forEach(p -> pending.add(stamped(p, type)));
            JsonNode current = e.getValue().get("current");
            LastValue<T> v = new LastValue<>();
            v.restore(current == null ? null : stamped(current, type), pending);
            values.put(e.getKey(), v);
        });
    }

    private static <T extends Telemetry> LastValue.Stamped<T> stamped(JsonNode n, Class<T> type) {
        TelemetryEvent e = (TelemetryEvent) Codec.decodeInput(n);
        return new LastValue.Stamped<>(e.tsMs(), e.eventId(), type.cast(e.payload()));
    }
}

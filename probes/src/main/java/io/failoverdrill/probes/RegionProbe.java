package io.failoverdrill.probes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One observer's probe of one region. Requests go out on a fixed schedule ({@code rps} per second) whether or not
 * earlier ones answered, and each latency is measured from its <em>intended</em> send time, so a slow region
 * cannot hide behind fewer samples (no coordinated omission). The event's {@code ts} is when the observation
 * completed. Every second it also reads the region's status endpoints (health, index metadata, cache, backlog)
 * and sends a heartbeat. Each service request is timed phase by phase ({@link PhasedHttp}: connect, TLS,
 * time to first byte, body) and carries the {@code cold} flag the region sets in its {@code X-Cold} header.
 */
public final class RegionProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProbeTarget target;
    private final String observer;
    private final double rps;
    private final Duration timeout;
    private final TelemetrySink sink;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final ProbeClock clock = new ProbeClock();
    private final PhasedHttp phased;
    private final java.util.concurrent.ExecutorService requests;
    private final AtomicLong seq = new AtomicLong();
    private volatile long startNanos;

    public RegionProbe(ProbeTarget target, String observer, double rps, Duration timeout, TelemetrySink sink) {
        this(target, observer, rps, timeout, sink, null);
    }

    /** As above; {@code tls} is the trust used for an https service URL (null = the JVM's default trust store). */
    public RegionProbe(ProbeTarget target, String observer, double rps, Duration timeout, TelemetrySink sink,
                       javax.net.ssl.SSLContext tls) {
        this.phased = new PhasedHttp(tls);
        this.requests = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "probe-req-" + observer + "-" + target.region());
            t.setDaemon(true);
            return t;
        });
        this.target = target;
        this.observer = observer;
        this.rps = rps;
        this.timeout = timeout;
        this.sink = sink;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4, r -> {
                    Thread t = new Thread(r, "probe-http-" + observer + "-" + target.region());
                    t.setDaemon(true);
                    return t;
                })).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "probe-" + observer + "-" + target.region());
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        startNanos = clock.nanos();
        long periodNanos = (long) (1e9 / rps);
        AtomicLong n = new AtomicLong();
        scheduler.scheduleAtFixedRate(() -> request(startNanos + n.getAndIncrement() * periodNanos),
                0, periodNanos, TimeUnit.NANOSECONDS);
        scheduler.scheduleAtFixedRate(this::status, 0, 1000, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::heartbeat, 250, 500, TimeUnit.MILLISECONDS);
    }

    private String nextId(String kind) {
        return observer + "/" + target.region() + "/" + kind + "/" + startNanos + "-" + seq.incrementAndGet();
    }

    /**
     * One timed request on its own connection (a blocking exchange on a request thread, so a slow answer never
     * delays the next scheduled send); latency counts from the intended send time.
     */
    private void request(long intendedNanos) {
        requests.execute(() -> {
            PhasedHttp.Result res = phased.get(target.serviceUri(), timeout, Map.of());
            URI at = target.serviceUri();
            for (int hop = 0; target.followRedirects() && hop < MAX_REDIRECTS && isRedirect(res) && res.header("Location") != null; hop++) {
                at = at.resolve(res.header("Location"));
                res = phased.get(at, timeout, Map.of());
            }
            long doneNanos = clock.nanos();
            double latencyMs = Math.max(0, (doneNanos - intendedNanos) / 1e6);
            String error = ErrorClassifier.of(res.status(), res.failure(), target.tool());
            Boolean cold = res.status() == 0 ? null : Boolean.parseBoolean(res.header("X-Cold"));
            Telemetry.Request r = new Telemetry.Request(Math.round(latencyMs * 100) / 100.0, res.status(), error,
                    new Telemetry.Phases(res.connectMs(), res.tlsMs(), res.ttfbMs(), res.bodyMs()), cold,
                    target.serviceUri().getPath());
            sink.publish(new TelemetryEvent(nextId("req"), target.region(), observer, clock.nowMs(), null, r));
        });
    }

    /** How many redirects a probe follows before it reports the 3xx it got. */
    static final int MAX_REDIRECTS = 5;

    private static boolean isRedirect(PhasedHttp.Result r) {
        return r.status() == 301 || r.status() == 302 || r.status() == 303 || r.status() == 307 || r.status() == 308;
    }

    /** The {@code contract_fields} array of an index-metadata answer, or null when it has none. */
    static java.util.List<String> contractFields(com.fasterxml.jackson.databind.JsonNode j) {
        com.fasterxml.jackson.databind.JsonNode a = j.get("contract_fields");
        if (a == null || !a.isArray()) {
            return null;
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        a.forEach(e -> out.add(e.asText()));
        return out;
    }

    private void status() {
        fetch("/health").thenAccept(j -> emit(new Telemetry.Health(j.path("ready").asBoolean(false))))
                .exceptionally(e -> {
                    emit(new Telemetry.Health(false));
                    return null;
                });
        fetch("/index/meta").thenAccept(j -> emit(new Telemetry.IndexMeta(j.path("index_hash").asText(),
                j.path("metric").asText(), j.path("analyzer").asText(), j.path("build_ts_ms").asLong(),
                j.hasNonNull("embed_model") ? j.get("embed_model").asText() : null, contractFields(j))));
        fetch("/cache").thenAccept(j -> emit(new Telemetry.Cache(j.path("hit_ratio").asDouble(),
                j.hasNonNull("hot_keys_present") ? j.get("hot_keys_present").asBoolean() : null)));
        fetch("/backlog").thenAccept(j -> emit(new Telemetry.Backlog(j.path("queue").asText("default"),
                j.path("length").asLong(), j.path("oldest_age_ms").asDouble())));
    }

    private void heartbeat() {
        emit(new Telemetry.Heartbeat());
    }

    private void emit(Telemetry payload) {
        sink.publish(new TelemetryEvent(nextId(payload.type()), target.region(), observer, clock.nowMs(), null, payload));
    }

    private CompletableFuture<JsonNode> fetch(String path) {
        URI uri = target.statusBase().resolve(path);
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).thenApply(resp -> {
            if (resp.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + resp.statusCode());
            }
            try {
                return JSON.readTree(resp.body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(uri + " sent invalid JSON", e);
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        requests.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

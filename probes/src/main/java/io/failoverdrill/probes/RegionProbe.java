package io.failoverdrill.probes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One observer's probe of one region. Requests go out on a fixed schedule ({@code rps} per second) whether or not
 * earlier ones answered, and each latency is measured from its <em>intended</em> send time, so a slow region
 * cannot hide behind fewer samples (no coordinated omission). The event's {@code ts} is when the observation
 * completed. Each service request is sent as {@link ProbeRequest} says (method, headers, body, expected statuses),
 * timed phase by phase ({@link PhasedHttp}: connect, TLS, time to first byte, body) and carries the {@code cold} flag
 * the region sets in its {@code X-Cold} header. Every second it also reads the region's status endpoints
 * ({@link StatusEndpoints}: health, index metadata, cache, backlog, mapped by JSON pointers) with the same headers and
 * sends a heartbeat. A status read that fails — no answer, a status other than 2xx, a body that is not JSON or lacks
 * a member ({@code http_4xx}: the config's side) — is published as a failed {@code request} (its error class,
 * {@code target} {@code status:<kind>}), and a failed health read also as not ready: a failing endpoint is seen as
 * failing, not as missing data.
 */
public final class RegionProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProbeTarget target;
    private final ProbeRequest request;
    private final StatusEndpoints status;
    private final String observer;
    private final double rps;
    private final Duration timeout;
    private final TelemetrySink sink;
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
        this(target, ProbeRequest.GET, StatusEndpoints.ownService(target.statusBase()), observer, rps, timeout, sink, tls);
    }

    /**
     * A probe of any service: {@code request} is what each timed request sends, {@code status} where the region's
     * state is read (null: nowhere).
     */
    public RegionProbe(ProbeTarget target, ProbeRequest request, StatusEndpoints status, String observer, double rps,
                       Duration timeout, TelemetrySink sink, javax.net.ssl.SSLContext tls) {
        this.request = request;
        this.status = status;
        this.phased = new PhasedHttp(tls, target.proxy());
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
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "probe-" + observer + "-" + target.region());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts timed requests ({@code rps} per second; none when {@code rps} ≤ 0), status reads and heartbeats. */
    public void start() {
        startNanos = clock.nanos();
        if (rps > 0) {
            long periodNanos = (long) (1e9 / rps);
            AtomicLong n = new AtomicLong();
            scheduler.scheduleAtFixedRate(() -> request(startNanos + n.getAndIncrement() * periodNanos),
                    0, periodNanos, TimeUnit.NANOSECONDS);
        }
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
            PhasedHttp.Result res = phased.exchange(request.method(), target.serviceUri(), timeout, request.headers(), request.bodyBytes());
            URI at = target.serviceUri();
            for (int hop = 0; target.followRedirects() && hop < MAX_REDIRECTS && isRedirect(res) && res.header("Location") != null; hop++) {
                at = at.resolve(res.header("Location"));
                res = phased.exchange("GET", at, timeout, request.headers(), null);
            }
            long doneNanos = clock.nanos();
            double latencyMs = Math.max(0, (doneNanos - intendedNanos) / 1e6);
            String error = request.errorClass(res.status(), res.failure(), target.tool());
            Boolean cold = res.status() == 0 ? null : Boolean.parseBoolean(res.header("X-Cold"));
            Telemetry.Request r = new Telemetry.Request(Math.round(latencyMs * 100) / 100.0, res.status(), error,
                    new Telemetry.Phases(res.connectMs(), res.tlsMs(), res.ttfbMs(), res.bodyMs()), cold,
                    target.serviceUri().getPath(), null, stickRegion(res));
            sink.publish(new TelemetryEvent(nextId("req"), target.region(), observer, clock.nowMs(), null, r));
        });
    }

    /** The response header in which a service announces the region a session is stuck to (seed: evacuate, step 2). */
    static final String STICK_HEADER = "X-Stick-Region";

    /**
     * The region {@link #STICK_HEADER} announces, or null: none, no response, or not a region id (left out rather than
     * sent, so the latency sample is not rejected with it).
     */
    static String stickRegion(PhasedHttp.Result res) {
        String header = res.status() == 0 ? null : res.header(STICK_HEADER);
        String announced = header == null ? null : header.strip();
        return announced != null && io.failoverdrill.schemas.JsonReader.isRegion(announced) ? announced : null;
    }

    /** How many redirects a probe follows before it reports the 3xx it got. */
    static final int MAX_REDIRECTS = 5;

    private static boolean isRedirect(PhasedHttp.Result r) {
        return r.status() == 301 || r.status() == 302 || r.status() == 303 || r.status() == 307 || r.status() == 308;
    }

    private void status() {
        if (status == null) {
            return;
        }
        read("health", status.health(), StatusEndpoints::health);
        read("index_meta", status.indexMeta(), StatusEndpoints::indexMeta);
        read("cache", status.cache(), StatusEndpoints::cache);
        read("backlog", status.backlog(), StatusEndpoints::backlog);
    }

    /** Reads one status endpoint on a request thread and publishes what it says, or its failure. */
    private void read(String kind, StatusEndpoints.Endpoint endpoint,
                      BiFunction<StatusEndpoints.Endpoint, JsonNode, Telemetry> mapping) {
        if (endpoint == null) {
            return;
        }
        requests.execute(() -> {
            long t0 = clock.nanos();
            PhasedHttp.Result res = phased.exchange("GET", endpoint.url(), timeout, request.headers(), null);
            String error = res.failure() != null ? res.failure()
                    : res.status() / 100 == 2 ? null : ErrorClassifier.ofUnexpected(res.status());
            Telemetry state = null;
            if (error == null) {
                try {
                    state = mapping.apply(endpoint, JSON.readTree(res.body()));
                } catch (IOException | StatusEndpoints.Unmappable e) {
                    // an answer the config's pointers cannot read: the probe's side (like a 4xx), not the region
                    // failing — so it is visible by class but does not count towards an outage
                    error = "http_4xx";
                }
            }
            if (state != null) {
                emit(state);
                return;
            }
            double latencyMs = Math.round(Math.max(0, (clock.nanos() - t0) / 1e6) * 100) / 100.0;
            emit(new Telemetry.Request(latencyMs, res.status(), error,
                    new Telemetry.Phases(res.connectMs(), res.tlsMs(), res.ttfbMs(), res.bodyMs()), null, "status:" + kind));
            if (kind.equals("health")) {
                emit(new Telemetry.Health(false));
            }
        });
    }

    private void heartbeat() {
        emit(new Telemetry.Heartbeat());
    }

    private void emit(Telemetry payload) {
        sink.publish(new TelemetryEvent(nextId(payload.type()), target.region(), observer, clock.nowMs(), null, payload));
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

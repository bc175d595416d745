package io.failoverdrill.sim;

import io.failoverdrill.probes.AppTelemetry;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Business events that must reach a third party as webhooks, once each: every {@code periodMs} an event is delivered
 * from the region currently routed to emit ({@code route_webhooks}), with dedupe key sha256(event_id + rev). A
 * stale target ({@link #setStaleTarget}) makes the old region deliver too — the duplicate the drill must catch.
 * Deliveries are real HTTP POSTs to a {@link WebhookSink}, which reports what arrived as {@code webhook} telemetry.
 */
public final class WebhookEmitter implements AutoCloseable {
    private final WebhookSink sink;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler;
    private final AtomicLong eventId = new AtomicLong();
    private volatile String emitFrom;
    private volatile String staleTarget;

    public WebhookEmitter(String emitFrom, AppTelemetry events) {
        this.emitFrom = emitFrom;
        this.sink = new WebhookSink(events);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-webhooks");
            t.setDaemon(true);
            return t;
        });
    }

    public void start(long periodMs) {
        scheduler.scheduleAtFixedRate(this::deliver, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    public void routeTo(String region) {
        this.emitFrom = region;
    }

    /** The third party still also targets {@code region} (null = fixed). */
    public void setStaleTarget(String region) {
        this.staleTarget = region;
    }

    public String emitFrom() {
        return emitFrom;
    }

    private void deliver() {
        String id = "evt-" + eventId.incrementAndGet();
        String key = dedupeKey(id, 1);
        String from = emitFrom;
        post(from, id, key);
        String stale = staleTarget;
        if (stale != null && !stale.equals(from)) {
            post(stale, id, key);
        }
    }

    /** One delivery over HTTP from {@code region} to the third party's endpoint (at most 3 tries, 10 s each). */
    private void post(String region, String id, String key) {
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(sink.uri())
                .timeout(java.time.Duration.ofSeconds(10))
                .header("X-Dedupe-Key", key).header("X-Emitted-From", region).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"event_id\":\"" + id + "\",\"rev\":1}")).build();
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                if (http.send(req, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() < 300) {
                    return;
                }
            } catch (java.io.IOException e) {
                // retried below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Deliveries the third party received. */
    public long delivered() {
        return sink.received();
    }

    static String dedupeKey(String eventId, int rev) {
        return io.failoverdrill.schemas.Sha256.hex(eventId + rev);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        sink.close();
    }
}

package io.failoverdrill.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Business events that must reach a third party as webhooks, once each: every {@code periodMs} an event is delivered
 * from the region currently routed to emit ({@code route_webhooks}), with dedupe key sha256(event_id + rev). A
 * stale target ({@link #setStaleTarget}) makes the old region deliver too — the duplicate the drill must catch.
 */
public final class WebhookEmitter implements AutoCloseable {
    private final SimEvents events;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong eventId = new AtomicLong();
    private volatile String emitFrom;
    private volatile String staleTarget;

    public WebhookEmitter(String emitFrom, SimEvents events) {
        this.emitFrom = emitFrom;
        this.events = events;
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
        events.webhook(emitFrom, key);
        String stale = staleTarget;
        if (stale != null && !stale.equals(emitFrom)) {
            events.webhook(stale, key);
        }
    }

    static String dedupeKey(String eventId, int rev) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((eventId + rev).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

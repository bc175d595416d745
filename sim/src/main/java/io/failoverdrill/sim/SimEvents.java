package io.failoverdrill.sim;

import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the simulated regions report about themselves, as docs/contracts.md telemetry: every write-ledger transition
 * ({@code acked}, {@code enqueued}, {@code applied}) and every webhook delivered to the third-party sink. The
 * receiver is whatever the caller wires in (the demo publishes to Kafka).
 */
public final class SimEvents {
    private final Consumer<TelemetryEvent> out;
    private final String observer;
    private final AtomicLong seq = new AtomicLong();

    public SimEvents(Consumer<TelemetryEvent> out, String observer) {
        this.out = out;
        this.observer = observer;
    }

    /** Discards everything (regions used without a telemetry pipeline). */
    public static SimEvents none() {
        return new SimEvents(e -> { }, "sim");
    }

    void write(String region, String writeId, String state, String writerRegion) {
        emit(region, new Telemetry.Write(writeId, state, writerRegion));
    }

    void webhook(String region, String dedupeKey, java.util.Map<String, Object> keyFields) {
        emit(region, new Telemetry.Webhook(dedupeKey, region, keyFields));
    }

    private void emit(String region, Telemetry payload) {
        long now = System.currentTimeMillis();
        out.accept(new TelemetryEvent(observer + "/" + payload.type() + "/" + now + "-" + seq.incrementAndGet(), region,
                observer, now, null, payload));
    }
}

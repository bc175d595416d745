package io.failoverdrill.probes;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What only the application itself can tell the engine, as docs/contracts.md telemetry: its write ledger (every write
 * {@code acked} to a client, {@code enqueued} while writes are frozen, {@code applied} to the store — what {@code
 * write_loss} and {@code single_writer} are judged on) and every webhook it delivered (what {@code webhook_duplicates}
 * is judged on). A service embeds this client and calls it where those things happen; a service in another language
 * produces the same JSON (docs/contracts.md §1, {@code write} and {@code webhook}) to the telemetry topic, key = region.
 * Every event is checked against the contract before it leaves: a bad value fails the call with the field and the rule
 * ({@link io.failoverdrill.schemas.ContractViolation}). Thread-safe.
 * <pre>{@code
 * try (AppTelemetry app = AppTelemetry.toKafka(clientProperties, "drill.telemetry", "orders-api")) {
 *     app.write("us-east", "order-4711", "acked", "us-east");
 *     app.webhook("us-east", "sha256:…");
 * }
 * }</pre>
 */
public final class AppTelemetry implements AutoCloseable {
    private final TelemetrySink sink;
    private final String observer;
    private final LongSupplier clock;
    private final AtomicLong seq = new AtomicLong();
    private final AutoCloseable closes;

    /**
     * @param sink     where the events go (Kafka: {@link #toKafka}; any other transport the caller's)
     * @param observer who reports (the service or instance name): part of every event id
     * @param clock    the event time of each event, ms since the epoch (the service's own clock)
     */
    public AppTelemetry(TelemetrySink sink, String observer, LongSupplier clock) {
        this(sink, observer, clock, () -> { });
    }

    private AppTelemetry(TelemetrySink sink, String observer, LongSupplier clock, AutoCloseable closes) {
        this.sink = sink;
        this.observer = observer;
        this.clock = clock;
        this.closes = closes;
    }

    /** Publishes to {@code topic} (the telemetry topic) with an idempotent producer; {@code client}: Kafka client properties. */
    public static AppTelemetry toKafka(Map<String, Object> client, String topic, String observer) {
        KafkaTelemetrySink kafka = new KafkaTelemetrySink(client, topic);
        return new AppTelemetry(kafka, observer, System::currentTimeMillis, kafka);
    }

    /**
     * Events that could not be published to Kafka so far (0 for other sinks): a service exports it as a metric, since a
     * lost {@code applied} event reads as a lost write in the drill's {@code write_loss}.
     */
    public long failedSends() {
        return sink instanceof KafkaTelemetrySink kafka ? kafka.failed() : 0;
    }

    /** Discards everything (a service run without a telemetry pipeline). */
    public static AppTelemetry discarding() {
        return new AppTelemetry(e -> { }, "none", System::currentTimeMillis);
    }

    /**
     * A write-ledger transition in {@code region}: {@code state} one of {@code acked}, {@code enqueued}, {@code applied};
     * {@code writerRegion} the region that held the writer role when it happened.
     */
    public void write(String region, String writeId, String state, String writerRegion) {
        emit(region, new Telemetry.Write(writeId, state, writerRegion));
    }

    /** A webhook delivered, emitted from {@code region}, under the dedupe key the plan's {@code webhook_policy} names. */
    public void webhook(String region, String dedupeKey) {
        webhook(region, dedupeKey, null);
    }

    /** … with the fields the dedupe key was computed from (so that the engine can check it against the policy). */
    public void webhook(String region, String dedupeKey, Map<String, Object> keyFields) {
        emit(region, new Telemetry.Webhook(dedupeKey, region, keyFields));
    }

    private void emit(String region, Telemetry payload) {
        long now = clock.getAsLong();
        TelemetryEvent event = new TelemetryEvent(observer + "/" + payload.type() + "/" + now + "-" + seq.incrementAndGet(),
                region, observer, now, null, payload);
        Codec.decodeInput(Codec.encode(event)); // the contract's rules, before anything leaves
        sink.publish(event);
    }

    @Override
    public void close() {
        try {
            closes.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the telemetry sink: " + e.getMessage(), e);
        }
    }
}

package io.failoverdrill.probes;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Publishes telemetry to Kafka, key = region, with an idempotent producer ({@code acks=all}, 5 ms linger). An event
 * the broker did not take (after the producer's own retries, {@code delivery.timeout.ms}) is counted and reported to
 * {@link #onFailure}, never dropped silently.
 */
public final class KafkaTelemetrySink implements TelemetrySink, AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong failed = new AtomicLong();
    private volatile Consumer<Exception> onFailure = e -> { };

    public KafkaTelemetrySink(String bootstrapServers, String topic) {
        this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
    }

    /** @param client the user's Kafka client properties ({@code bootstrap.servers}, security) */
    public KafkaTelemetrySink(Map<String, Object> client, String topic) {
        this.topic = topic;
        Map<String, Object> p = new java.util.HashMap<>(client);
        p.putAll(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Called for every event that could not be published (on the producer's thread: keep it short). */
    public KafkaTelemetrySink onFailure(Consumer<Exception> listener) {
        this.onFailure = listener;
        return this;
    }

    /** Events that could not be published so far. */
    public long failed() {
        return failed.get();
    }

    /** The topic it publishes to. */
    public String topic() {
        return topic;
    }

    @Override
    public void publish(TelemetryEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.region(), Codec.encode(event)), (metadata, e) -> {
                if (e != null) {
                    failed(e);
                }
            });
        } catch (RuntimeException e) { // a producer in a fatal state refuses at once
            failed(e);
        }
    }

    private void failed(Exception e) {
        failed.incrementAndGet();
        onFailure.accept(e);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

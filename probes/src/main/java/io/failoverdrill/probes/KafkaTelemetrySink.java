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

/** Publishes telemetry to Kafka, key = region, with an idempotent producer ({@code acks=all}, 5 ms linger). */
public final class KafkaTelemetrySink implements TelemetrySink, AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

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

    @Override
    public void publish(TelemetryEvent event) {
        producer.send(new ProducerRecord<>(topic, event.region(), Codec.encode(event)));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

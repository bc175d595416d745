package io.failoverdrill.cli;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Writes one operator record (a stop, a control event) durably: acks=all, idempotent, within 30 s. */
final class OneRecord {
    private OneRecord() {
    }

    /** Where it landed, as {@code topic/partition@offset}. */
    static String send(Map<String, Object> client, ProducerRecord<String, byte[]> record) throws Exception {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            RecordMetadata at = producer.send(record).get(30, TimeUnit.SECONDS);
            return at.topic() + "/" + at.partition() + "@" + at.offset();
        }
    }
}

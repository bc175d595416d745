package io.failoverdrill.kafka.testkit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** What a {@code read_committed} consumer sees on a topic right now, from the beginning to the end (no group). */
public final class CommittedRecords {
    private CommittedRecords() {
    }

    /** Every committed record, ordered by partition then offset. */
    public static List<ConsumerRecord<String, byte[]>> readToEnd(String bootstrap, String topic) {
        return readToEnd(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic);
    }

    /** As {@link #readToEnd(String, String)}, as the client {@code client} describes (a secured cluster's user). */
    public static List<ConsumerRecord<String, byte[]>> readToEnd(Map<String, Object> client, String topic) {
        Map<String, Object> c = new java.util.HashMap<>(client);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4_000_000);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        out.sort(Comparator.comparingInt((ConsumerRecord<String, byte[]> r) -> r.partition()).thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    /** The values of {@link #readToEnd}, as UTF-8 text. */
    public static List<String> values(String bootstrap, String topic) {
        return readToEnd(bootstrap, topic).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }
}

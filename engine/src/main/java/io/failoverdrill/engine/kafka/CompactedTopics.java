package io.failoverdrill.engine.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The compacted topics read whole, latest value per key: the state topic (where each drill and guard stands — what
 * {@code drill list} shows and what tells {@code drill serve} that a drill has ended) and the plans topic (what is
 * submitted). Committed records only; a tombstone removes its key.
 */
public final class CompactedTopics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CompactedTopics() {
    }

    /** The latest state record per drill or guard id, by id. */
    public static Map<String, JsonNode> states(Map<String, Object> client, Topics topics) {
        Map<String, JsonNode> out = new TreeMap<>();
        latest(client, topics.state(), null).forEach((id, value) -> {
            try {
                out.put(id, JSON.readTree(value));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable state record of '" + id + "' on " + topics.state(), e);
            }
        });
        return out;
    }

    /** Every plan or policy submitted and not withdrawn, by id. */
    public static Map<String, byte[]> plans(Map<String, Object> client, Topics topics) {
        return latest(client, topics.plans(), null);
    }

    /**
     * The latest value submitted under {@code id} (null: none, or withdrawn), read from the one partition the producer's
     * default partitioner puts the key on.
     */
    public static byte[] plan(Map<String, Object> client, Topics topics, String id) {
        return latest(client, topics.plans(), id).get(id);
    }

    /** The latest value per key of {@code topic}; {@code onlyKey} non-null: of that key alone, reading only its partition. */
    private static Map<String, byte[]> latest(Map<String, Object> client, String topic, String onlyKey) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, byte[]> latest = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            if (onlyKey != null) {
                parts = List.of(new TopicPartition(topic, ServeGroup.partitionOf(onlyKey, parts.size())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && (onlyKey == null || onlyKey.equals(r.key()))) {
                        if (r.value() == null) {
                            latest.remove(r.key());
                        } else {
                            latest.put(r.key(), r.value());
                        }
                    }
                }
            }
        }
        return latest;
    }
}

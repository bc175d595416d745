package io.failoverdrill.engine.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The compacted topics read whole, latest value per key: the state topic (where each drill and guard stands — what
 * {@code drill list} shows and what tells {@code drill serve} that a drill has ended) and the plans topic (what is
 * submitted). Committed records only; a tombstone removes its key.
 */
public final class CompactedTopics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CompactedTopics() {
    }

    /** The latest state record per drill or guard id, by id (the parts of split snapshots left out). */
    public static Map<String, JsonNode> states(Map<String, Object> client, Topics topics) {
        Map<String, JsonNode> out = new TreeMap<>();
        latest(client, topics.state(), null).forEach((id, value) -> {
            if (!io.failoverdrill.engine.runtime.OutboundRecord.ownKey(id)) {
                return; // a part of a snapshot: not JSON on its own
            }
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
        Map<String, Object> c = KafkaEventLog.readCommitted(client);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        IntPredicate partitions = p -> true;
        if (onlyKey != null) {
            int keyPartition = ServeGroup.partitionOf(onlyKey, TopicScan.partitions(c, topic));
            partitions = p -> p == keyPartition;
        }
        Map<String, byte[]> latest = new TreeMap<>();
        TopicScan.scan(c, topic, partitions, 0, r -> {
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            if (key != null && (onlyKey == null || onlyKey.equals(key))) {
                if (r.value() == null) {
                    latest.remove(key);
                } else {
                    latest.put(key, r.value());
                }
            }
            return false;
        });
        return latest;
    }
}

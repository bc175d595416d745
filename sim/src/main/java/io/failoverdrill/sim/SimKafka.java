package io.failoverdrill.sim;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.util.Map;

/** The Kafka clients the simulated side shares. */
final class SimKafka {
    private SimKafka() {
    }

    /**
     * A consumer of committed records only (string keys, raw values), starting from the earliest offset for a new
     * group; {@code autoCommit} false when the caller commits after acting on what it read.
     */
    static KafkaConsumer<String, byte[]> readCommittedConsumer(Map<String, Object> client, String groupId, boolean autoCommit) {
        return new KafkaConsumer<>(with(client, Map.of(ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, autoCommit)), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The user's client properties ({@code bootstrap.servers}, security) plus a component's own settings. */
    static Map<String, Object> with(Map<String, Object> client, Map<String, Object> own) {
        Map<String, Object> m = new java.util.HashMap<>(client);
        m.putAll(own);
        return m;
    }

    /** Just {@code bootstrap.servers}: a plaintext cluster. */
    public static Map<String, Object> plaintext(String bootstrapServers) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }
}

package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.CommonClientConfigs;

import java.util.Map;
import java.util.TreeMap;

/** The user's Kafka client properties: {@code bootstrap.servers} and whatever security the cluster needs. */
public final class ClientProperties {
    private ClientProperties() {
    }

    /** Just {@code bootstrap.servers} (a plaintext cluster). */
    public static Map<String, Object> of(String bootstrapServers) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /** Their {@code bootstrap.servers}. */
    public static String bootstrap(Map<String, Object> client) {
        return String.valueOf(client.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** {@code client} plus {@code extra} (the component's own settings win). */
    public static Map<String, Object> with(Map<String, Object> client, Map<String, Object> extra) {
        Map<String, Object> m = new TreeMap<>(client);
        m.putAll(extra);
        return m;
    }
}

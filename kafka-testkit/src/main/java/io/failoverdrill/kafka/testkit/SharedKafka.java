package io.failoverdrill.kafka.testkit;

import io.failoverdrill.kafka.embedded.EmbeddedKafka;
import io.failoverdrill.kafka.embedded.KafkaEndpoint;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one broker a test JVM shares across its test classes: Testcontainers' {@code apache/kafka} image when a
 * Docker engine is available, otherwise Kafka's in-JVM KRaft broker ({@link EmbeddedKafka}) — the same tests
 * either way. Started on first use, stopped when the JVM exits.
 */
public final class SharedKafka {
    private static KafkaEndpoint endpoint;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (endpoint == null) {
            endpoint = dockerAvailable() ? container() : EmbeddedKafka.start();
            KafkaEndpoint started = endpoint;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-kafka-stop"));
        }
        return endpoint.bootstrapServers();
    }

    /** Creates {@code topic} with {@code partitions} partitions (replication 1) on the shared broker. */
    public static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static boolean dockerAvailable() {
        if (Boolean.getBoolean("drill.kafka.embedded")) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static KafkaEndpoint container() {
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1");
        kafka.start();
        return new KafkaEndpoint() {
            @Override
            public String bootstrapServers() {
                return kafka.getBootstrapServers();
            }

            @Override
            public void close() {
                kafka.stop();
            }
        };
    }
}

package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics the product uses when they are missing, and refuses existing ones whose partition count is
 * below what the engine needs. The state topic is compacted; the others keep data for 7 days.
 */
public final class TopicProvisioner {
    private TopicProvisioner() {
    }

    /** Topic → partitions. */
    static Map<String, Integer> layout(Topics t) {
        return Map.of(t.telemetry(), 6, t.control(), 1, t.acks(), 3, t.cutoverCommands(), 3, t.clampCommands(), 3,
                t.decisions(), 3, t.dlq(), 3, t.state(), 1);
    }

    public static void ensure(String bootstrapServers, Topics topics, short replicationFactor) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<String, Integer> wanted = layout(topics);
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            wanted.forEach((name, partitions) -> {
                if (!existing.contains(name)) {
                    NewTopic nt = new NewTopic(name, partitions, replicationFactor);
                    nt.configs(name.equals(topics.state())
                            ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                            : Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000)));
                    missing.add(nt);
                }
            });
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, TopicDescription> described = admin.describeTopics(wanted.keySet()).allTopicNames().get(30, TimeUnit.SECONDS);
            for (Map.Entry<String, Integer> e : wanted.entrySet()) {
                int have = described.get(e.getKey()).partitions().size();
                if (have < e.getValue() && !e.getKey().equals(topics.control()) && !e.getKey().equals(topics.state())) {
                    throw new IllegalStateException("topic " + e.getKey() + " has " + have
                            + " partition(s); the engine needs at least " + e.getValue());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not provision topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }
}

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
 * Creates the topics the product uses when they are missing, and refuses existing ones that do not fit: too few
 * partitions, or the wrong cleanup policy (state must be compacted; the journal and inputs must not be, or recovery
 * and replay lose records). The journal and state keep data forever; the others 7 days.
 */
public final class TopicProvisioner {
    private TopicProvisioner() {
    }

    /** Topic → partitions. */
    static Map<String, Integer> layout(Topics t) {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        if (t.singleInput()) {
            m.put(t.telemetry(), 1);
        } else {
            m.put(t.telemetry(), 6);
            m.put(t.control(), 1);
            m.put(t.acks(), 3);
        }
        m.put(t.cutoverCommands(), 3);
        m.put(t.clampCommands(), 3);
        m.put(t.decisions(), 3);
        m.put(t.dlq(), 3);
        m.put(t.state(), 1);
        m.put(t.journal(), 1);
        return m;
    }

    static Map<String, String> configFor(Topics topics, String name) {
        if (name.equals(topics.state())) {
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (name.equals(topics.journal())) {
            return Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
        }
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000));
    }

    public static void ensure(String bootstrapServers, Topics topics, short replicationFactor) {
        ensure(ClientProperties.of(bootstrapServers), topics, replicationFactor);
    }

    /** As {@link #ensure(String, Topics, short)}, with the user's client properties. */
    public static void ensure(Map<String, Object> client, Topics topics, short replicationFactor) {
        String bootstrapServers = String.valueOf(client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = Admin.create(client)) {
            Map<String, Integer> wanted = layout(topics);
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            wanted.forEach((name, partitions) -> {
                if (!existing.contains(name)) {
                    NewTopic nt = new NewTopic(name, partitions, replicationFactor);
                    nt.configs(configFor(topics, name));
                    missing.add(nt);
                }
            });
            if (!missing.isEmpty()) {
                for (var created : admin.createTopics(missing).values().entrySet()) {
                    try {
                        created.getValue().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        // another engine (or an operator) created it a moment ago: verified below like any other
                        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            Map<String, org.apache.kafka.clients.admin.Config> configs = describeConfigs(admin, wanted);
            Map<String, TopicDescription> described = describeTopics(admin, wanted);
            for (String name : wanted.keySet()) {
                String policy = configs.get(name).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                boolean compacted = policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
                boolean wantCompacted = name.equals(topics.state());
                if (compacted != wantCompacted) {
                    throw new IllegalStateException("topic " + name + " has cleanup.policy=" + policy + "; the engine needs "
                            + (wantCompacted ? "compact" : "delete (a compacted " + name + " would lose records)"));
                }
            }
            for (Map.Entry<String, Integer> e : wanted.entrySet()) {
                int have = described.get(e.getKey()).partitions().size();
                if (have < e.getValue()) {
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

    /** Topics just created may not be visible yet on every broker: retry for a while on "unknown topic". */
    private static <T> T retryingUnknownTopic(java.util.concurrent.Callable<T> call)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return call.call();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException | TimeoutException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Map<String, org.apache.kafka.clients.admin.Config> describeConfigs(Admin admin, Map<String, Integer> wanted)
            throws ExecutionException, TimeoutException, InterruptedException {
        return retryingUnknownTopic(() -> admin.describeConfigs(wanted.keySet().stream()
                    .map(n -> new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, n))
                    .toList()).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue)));
    }

    private static Map<String, TopicDescription> describeTopics(Admin admin, Map<String, Integer> wanted)
            throws ExecutionException, TimeoutException, InterruptedException {
        return retryingUnknownTopic(() -> admin.describeTopics(wanted.keySet()).allTopicNames().get(30, TimeUnit.SECONDS));
    }
}

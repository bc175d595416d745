package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The topic layout: {@link #ensure} creates what is missing (the admin's one explicit step, {@code drill topics
 * apply}), {@link #verify} checks without creating (every other component at start-up). Both refuse existing topics
 * that do not fit: too few partitions, or the wrong cleanup policy (state, stop, reports and plans must be compacted; the journal and inputs must not be, or recovery
 * and replay lose records). The journal keeps 14 days, the other uncompacted topics 7.
 */
public final class TopicProvisioner {
    private TopicProvisioner() {
    }

    /** One topic of the layout: its name, least partition count and topic configs. */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    }

    /** The layout the product needs, in a stable order. */
    public static List<TopicSpec> specs(Topics t) {
        List<TopicSpec> out = new ArrayList<>();
        layout(t).forEach((name, partitions) -> out.add(new TopicSpec(name, partitions, configFor(t, name))));
        return out;
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
        m.put(t.dryrunCommands(), 3);
        m.put(t.decisions(), 3);
        m.put(t.dlq(), 3);
        m.put(t.stop(), 1);
        m.put(t.state(), 1);
        m.put(t.reports(), 1);
        m.put(t.plans(), PLANS_PARTITIONS);
        m.put(t.journal(), 1);
        return m;
    }

    static Map<String, String> configFor(Topics topics, String name) {
        if (name.equals(topics.stop())) {
            // compaction keeps the latest per scope, but not before a week: the journal of a drill names the stop
            // records it read by offset, and recovery and replay within that week must find them
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000));
        }
        if (name.equals(topics.reports())) {
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(REPORT_MAX_BYTES));
        }
        if (name.equals(topics.state())) {
            // every drill batch writes a summary here, and a takeover or 'drill list' reads the topic whole: compaction
            // only cleans closed segments, so they close after an hour or 64 MiB (the broker's default: 7 days, 1 GiB)
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(STATE_SEGMENT_MS),
                    TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(STATE_SEGMENT_BYTES));
        }
        if (compacted(topics, name)) {
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (name.equals(topics.journal())) {
            return Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(JOURNAL_RETENTION_MS));
        }
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(INPUT_RETENTION_MS));
    }

    /** How long the inputs, commands, decisions and DLQ keep records (ms): 7 days. */
    public static final long INPUT_RETENTION_MS = 7L * 24 * 3600 * 1000;

    /**
     * How long the journal keeps its entries (ms): 14 days. An entry names input records, so it serves recovery,
     * replay and export only while they exist (7 days); twice that leaves room for inputs kept a little longer. Kept
     * for ever (earlier layouts), the journal of an always-on engine grows without end: every hosted drill and guard
     * writes an entry per batch.
     */
    public static final long JOURNAL_RETENTION_MS = 2 * INPUT_RETENTION_MS;

    /** A value earlier layouts set, which {@link #apply} replaces as its own rather than keeping it as an operator's. */
    private static boolean earlierLayouts(Topics topics, String name, String key, String value) {
        return name.equals(topics.journal()) && key.equals(TopicConfig.RETENTION_MS_CONFIG) && "-1".equals(value);
    }

    /** The state topic's segments close after this long (ms), so that compaction can clean them. */
    public static final long STATE_SEGMENT_MS = 3_600_000L;

    /** … or at this size (bytes). */
    public static final int STATE_SEGMENT_BYTES = 64 * 1024 * 1024;

    /** The plans topic's partitions: at most this many {@code drill serve} instances share the work. */
    public static final int PLANS_PARTITIONS = 6;

    /** The largest report a drill publishes (a long drill's charts): the report topic's record limit. */
    public static final int REPORT_MAX_BYTES = 8 * 1024 * 1024;

    /** State, stop and reports are compacted (the latest per key is what counts); everything else keeps every record. */
    static boolean compacted(Topics topics, String name) {
        return name.equals(topics.state()) || name.equals(topics.stop()) || name.equals(topics.reports())
                || name.equals(topics.plans());
    }

    public static void ensure(String bootstrapServers, Topics topics, short replicationFactor) {
        ensure(ClientProperties.of(bootstrapServers), topics, replicationFactor);
    }

    /**
     * As {@link #ensure(String, Topics, short)}, with the user's client properties; returns the topics it created
     * (the others existed and fit). Needs CREATE on the cluster or the topics: the admin's step
     * ({@code drill topics apply}), not the engine's.
     */
    public static List<String> ensure(Map<String, Object> client, Topics topics, short replicationFactor) {
        return apply(client, topics, replicationFactor).created();
    }

    /**
     * What {@link #apply} did: the topics it created; the layout's configs it set on existing topics that had no value
     * of their own ({@code topic: key=value}); and the values of their own it kept though the layout says otherwise.
     */
    public record Applied(List<String> created, List<String> set, List<String> kept) {
    }

    /**
     * {@link #ensure}, and on the topics that were there already: sets each config of the layout (but the cleanup
     * policy, which {@link #verify} checks) that the topic does not set itself — it follows a broker default then — and
     * keeps, naming them, the values an operator set on the topic. Needs ALTER_CONFIGS on those topics for the sets.
     */
    public static Applied apply(Map<String, Object> client, Topics topics, short replicationFactor) {
        List<String> created = createMissing(client, topics, replicationFactor);
        verify(client, topics, List.copyOf(layout(topics).keySet()));
        List<String> set = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        call(client, admin -> {
            Map<String, Integer> existing = new java.util.LinkedHashMap<>(layout(topics));
            created.forEach(existing::remove);
            Map<ConfigResource, java.util.Collection<AlterConfigOp>> alter = new java.util.LinkedHashMap<>();
            describeConfigs(admin, existing).forEach((name, config) -> configFor(topics, name).forEach((key, value) -> {
                ConfigEntry have = config.get(key);
                if (key.equals(TopicConfig.CLEANUP_POLICY_CONFIG) || (have != null && value.equals(have.value()))) {
                    return;
                }
                boolean earlier = have != null && earlierLayouts(topics, name, key, have.value());
                if (have != null && have.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && !earlier) {
                    kept.add(name + ": " + key + "=" + have.value() + " (the layout's: " + value + ")");
                    return;
                }
                alter.computeIfAbsent(new ConfigResource(ConfigResource.Type.TOPIC, name), k -> new ArrayList<>())
                        .add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET));
                set.add(name + ": " + key + "=" + value + (earlier ? " (was " + have.value() + ", an earlier layout's)" : ""));
            }));
            if (!alter.isEmpty()) {
                admin.incrementalAlterConfigs(alter).all().get(30, TimeUnit.SECONDS);
            }
            return null;
        });
        return new Applied(created, set, kept);
    }

    private static List<String> createMissing(Map<String, Object> client, Topics topics, short replicationFactor) {
        Map<String, Integer> wanted = layout(topics);
        return call(client, admin -> {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            wanted.forEach((name, partitions) -> {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, replicationFactor).configs(configFor(topics, name)));
                }
            });
            List<String> created = new ArrayList<>();
            var results = admin.createTopics(missing).values();
            for (NewTopic topic : missing) {
                try {
                    results.get(topic.name()).get(30, TimeUnit.SECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    // another engine (or an operator) created it a moment ago: verified below like any other
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return created;
        });
    }

    /**
     * Checks, creating nothing, that each of {@code names} (topics of the layout) exists with at least its partitions
     * and its cleanup policy; otherwise throws naming the topic, what is wrong and {@code drill topics apply}. Needs
     * only DESCRIBE and DESCRIBE_CONFIGS on the topics — what the engine, probes and actuators have.
     */
    public static void verify(Map<String, Object> client, Topics topics, List<String> names) {
        Map<String, Integer> layout = layout(topics);
        Map<String, Integer> wanted = new java.util.LinkedHashMap<>();
        for (String n : names) {
            if (!layout.containsKey(n)) {
                throw new IllegalArgumentException("topic " + n + " is not part of the layout under '" + topics.prefix() + "'");
            }
            wanted.put(n, layout.get(n));
        }
        call(client, admin -> {
            Map<String, TopicDescription> described;
            try {
                described = describeTopics(admin, wanted);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                    String absent = wanted.keySet().stream().filter(n -> !existing.contains(n)).findFirst().orElse("?");
                    throw new IllegalStateException("topic " + absent + " does not exist: run 'drill topics apply' "
                            + "(as an admin principal) first");
                }
                throw e;
            }
            Map<String, org.apache.kafka.clients.admin.Config> configs = describeConfigs(admin, wanted);
            for (Map.Entry<String, Integer> e : wanted.entrySet()) {
                String name = e.getKey();
                String policy = configs.get(name).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                boolean compacted = policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
                boolean wantCompacted = compacted(topics, name);
                if (compacted != wantCompacted) {
                    throw new IllegalStateException("topic " + name + " has cleanup.policy=" + policy + "; it needs "
                            + (wantCompacted ? "compact" : "delete (a compacted " + name + " would lose records)")
                            + ": delete it and run 'drill topics apply'");
                }
                int have = described.get(name).partitions().size();
                if (have < e.getValue()) {
                    throw new IllegalStateException("topic " + name + " has " + have + " partition(s); it needs at least "
                            + e.getValue() + " (was it auto-created by a producer? delete it and run 'drill topics apply')");
                }
            }
            return null;
        });
    }

    @FunctionalInterface
    private interface AdminCall<T> {
        T apply(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
    }

    private static <T> T call(Map<String, Object> client, AdminCall<T> body) {
        try (Admin admin = Admin.create(client)) {
            return body.apply(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("topics on " + client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage(), e);
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

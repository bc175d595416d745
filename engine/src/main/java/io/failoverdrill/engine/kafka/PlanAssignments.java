package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The share of the plans topic one {@code drill serve} instance owns: a member of the serve consumer group, static
 * ({@code group.instance.id} = the instance id, so a restart within the session timeout takes its partitions back
 * without a rebalance) and cooperative-sticky (a member joining or leaving moves only the partitions that must move —
 * the drills on the others keep running). Each partition assigned is read from its beginning to the end it had when
 * assigned, and only then does the {@link Listener} hear of its plans — the latest per id, withdrawn ones left out, so a
 * plan whose tombstone follows is never started (the topic is compacted, but the cleaner may not have run yet); after
 * that it hears of every plan and withdrawal as it comes, and of every partition it loses — before any other member is
 * given it. Offsets are never committed: the plans are the state.
 */
public final class PlanAssignments implements AutoCloseable {
    /** What the owner of a share of the plans does with it; called on the polling thread, one call at a time. */
    public interface Listener {
        /** {@code partitions} are now this instance's; their plans follow. */
        void assigned(Set<Integer> partitions);

        /** {@code partitions} are no longer this instance's (moved, or lost with the membership): stop their drills now. */
        void revoked(Set<Integer> partitions);

        /** The latest plan (or policy) JSON under {@code id} on {@code partition}; null: withdrawn (a tombstone). */
        void plan(int partition, String id, byte[] value);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Listener listener;
    private final Thread poller;
    private final Consumer<Throwable> onFailure;
    private volatile boolean joined;
    private volatile boolean closing;
    private volatile boolean leaveOnClose;
    /** Partitions still being read up to their end offset at assignment (polling thread only). */
    private final Map<Integer, Long> catchingUpTo = new HashMap<>();
    /** Their latest plan per id so far, in first-seen order (polling thread only). */
    private final Map<Integer, Map<String, byte[]>> caughtUpPlans = new HashMap<>();

    /**
     * @param client         the user's client properties (bootstrap, security)
     * @param group          the serve group ({@link AclPlan#serveGroup} by default)
     * @param instanceId     this instance's static member id: unique in the group, stable across restarts
     * @param sessionTimeout how long the group waits for a silent instance before moving its drills (6–1800 s on a
     *                       broker with default limits)
     * @param onFailure      called once if polling fails for good (e.g. another instance with the same id fenced this one)
     */
    public PlanAssignments(Map<String, Object> client, Topics topics, String group, String instanceId, Duration sessionTimeout,
                           Listener listener, Consumer<Throwable> onFailure) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "drill-serve-" + instanceId);
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        // the others hear of a rebalance at their next heartbeat: a tenth of the session keeps that under a second or two
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, sessionTimeout.toMillis() / 10));
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(c);
        this.topic = topics.plans();
        this.listener = listener;
        this.onFailure = onFailure;
        this.poller = new Thread(this::poll, "drill-serve-plans");
        this.poller.setDaemon(true);
    }

    /** Joins the group and starts following the plans. */
    public PlanAssignments start() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    forget(partitions);
                    listener.revoked(numbers(partitions));
                }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    forget(partitions);
                    listener.revoked(numbers(partitions));
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                joined = true;
                if (!partitions.isEmpty()) {
                    consumer.seekToBeginning(partitions);
                    consumer.endOffsets(partitions).forEach((tp, end) -> {
                        catchingUpTo.put(tp.partition(), end);
                        caughtUpPlans.put(tp.partition(), new java.util.LinkedHashMap<>());
                    });
                    listener.assigned(numbers(partitions));
                }
            }
        });
        poller.start();
        return this;
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        Set<Integer> out = new TreeSet<>();
        partitions.forEach(tp -> out.add(tp.partition()));
        return out;
    }

    private void poll() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null) {
                        continue;
                    }
                    Map<String, byte[]> pending = caughtUpPlans.get(r.partition());
                    if (pending == null) {
                        listener.plan(r.partition(), r.key(), r.value());
                    } else {
                        pending.remove(r.key());
                        if (r.value() != null) {
                            pending.put(r.key(), r.value());
                        }
                    }
                }
                deliverCaughtUp();
            }
        } catch (RuntimeException e) { // a WakeupException when closing
            if (!closing) {
                onFailure.accept(e);
            }
        } finally {
            // a static member does not leave the group on close (its partitions wait out the session timeout for it,
            // so a restart moves nothing) unless told to: then the others take its partitions at once
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5))
                    .withGroupMembershipOperation(leaveOnClose
                            ? org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                            : org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.DEFAULT));
        }
    }

    /** Hands over the plans of each partition read up to its end at assignment (transaction markers included). */
    private void deliverCaughtUp() {
        for (var it = catchingUpTo.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (consumer.position(new TopicPartition(topic, e.getKey())) >= e.getValue()) {
                it.remove();
                caughtUpPlans.remove(e.getKey()).forEach((id, value) -> listener.plan(e.getKey(), id, value));
            }
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            catchingUpTo.remove(tp.partition());
            caughtUpPlans.remove(tp.partition());
        });
    }

    /** True once the group has given this instance its first assignment (possibly empty). */
    public boolean joined() {
        return joined;
    }

    /** Makes {@link #close} leave the group, so that the others take this instance's partitions at once (scaling down). */
    public PlanAssignments leaveOnClose(boolean leave) {
        this.leaveOnClose = leave;
        return this;
    }

    /**
     * Stops polling and closes the consumer; its partitions move after the session timeout (or not at all when it
     * returns in time), or at once with {@link #leaveOnClose}.
     */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

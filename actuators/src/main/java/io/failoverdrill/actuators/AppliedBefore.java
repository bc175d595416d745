package io.failoverdrill.actuators;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.sign.CommandGate;
import io.failoverdrill.schemas.sign.SigningKey;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an actuator's group handled before this process started, given back to its {@link CommandGate}: the command
 * topics are read up to the group's committed offsets — each command through the same admission as when it came
 * live — and the outcome of each applied one looked up in this actuator's acks if it comes again. So a command applied before a restart
 * and sent again (a redelivery, or an old signed record produced anew) is acked and not applied, and one with its id
 * and other bytes is {@code replayed}. Commands the topics no longer hold (past retention) are not remembered: against
 * those, retiring old signing keys is the defence.
 */
final class AppliedBefore {
    private AppliedBefore() {
    }

    /**
     * Admits into {@code gate} every command of {@code wiring}'s topics below its group's committed offsets (asked
     * through {@code groupConsumer}, the loop's consumer before it subscribes) that
     * {@code handler} handles, settled with what {@code observer} acked for it (looked up if it comes again); returns
     * how many it admitted.
     */
    static int restore(ActuatorLoop.Wiring wiring, KafkaConsumer<?, ?> groupConsumer, CommandHandler handler, String observer,
                       CommandGate gate) {
        Map<TopicPartition, Long> upTo = committed(groupConsumer, wiring.commandTopics());
        int[] admitted = {0};
        read(wiring.client(), consumer -> new Range(Map.of(), upTo), r -> {
            Command c;
            try {
                if (!(Codec.decodeDecision(r.value()) instanceof Command command) || !handler.handles(command)) {
                    return false;
                }
                c = command;
            } catch (ContractViolation v) {
                return false;
            }
            if (gate.admit(c, r.value(), header(r, SigningKey.KID_HEADER), header(r, SigningKey.SIG_HEADER)).kind()
                    == CommandGate.Admission.Kind.APPLY) {
                long sentMs = r.timestamp();
                gate.settledLater(c.commandId(), () -> firstAck(wiring, observer, c.commandId(), sentMs));
                admitted[0]++;
            }
            return false;
        });
        return admitted[0];
    }

    /**
     * What {@code observer} acked the first time it applied {@code commandId} (event id {@code ack-<commandId>}), read
     * from the ack topic from {@code sentMs} (less a minute of clock skew) on: an ack follows its command. Only asked
     * when such a command comes again, so a restart does not read the ack topic (the telemetry topic too, in the
     * single-input layout). Not found (past retention) or unreadable: rejected as {@code unsettled}.
     */
    static CommandGate.Outcome firstAck(ActuatorLoop.Wiring wiring, String observer, String commandId, long sentMs) {
        CommandGate.Outcome[] found = new CommandGate.Outcome[1];
        String eventId = "ack-" + commandId;
        try {
            read(wiring.client(), consumer -> since(consumer, wiring.ackTopic(), sentMs - 60_000), r -> {
                try {
                    if (Codec.decodeInput(r.value()) instanceof AckEvent a && a.eventId().equals(eventId) && a.observer().equals(observer)) {
                        found[0] = new CommandGate.Outcome(a.status(), a.detail());
                    }
                } catch (ContractViolation other) {
                    // not an ack
                }
                return found[0] != null;
            });
        } catch (RuntimeException unreadable) {
            // unconfirmed, as below
        }
        // unconfirmed: never acked applied on a guess
        return found[0] != null ? found[0] : new CommandGate.Outcome("rejected", Map.of("reason", "unsettled",
                "detail", "handled before this actuator started; its first ack can no longer be read"));
    }

    /** Each partition of {@code topic} from its first record stamped at or after {@code epochMs} to its end now. */
    private static Range since(KafkaConsumer<byte[], byte[]> consumer, String topic, long epochMs) {
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
        Map<TopicPartition, Long> query = new HashMap<>();
        parts.forEach(tp -> query.put(tp, Math.max(0, epochMs)));
        Map<TopicPartition, Long> from = new HashMap<>();
        consumer.offsetsForTimes(query).forEach((tp, at) -> from.put(tp, at == null ? ends.get(tp) : at.offset()));
        return new Range(from, ends);
    }

    /** The group's committed offsets on the command topics' partitions (those it committed on), asked through its consumer. */
    private static Map<TopicPartition, Long> committed(KafkaConsumer<?, ?> groupConsumer, List<String> commandTopics) {
        java.util.Set<TopicPartition> parts = new java.util.HashSet<>();
        commandTopics.forEach(t -> groupConsumer.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition()))));
        Map<TopicPartition, Long> out = new HashMap<>();
        groupConsumer.committed(parts, Duration.ofSeconds(30)).forEach((tp, o) -> {
            if (o != null && o.offset() > 0) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    /** Where to read each partition: from (absent: its beginning) up to, not including, until. */
    private record Range(Map<TopicPartition, Long> from, Map<TopicPartition, Long> until) {
    }

    private interface Bounds {
        Range of(KafkaConsumer<byte[], byte[]> consumer);
    }

    /** Reads the committed records of each partition {@code bounds} names, over its range, until {@code each} says done. */
    private static void read(Map<String, Object> client, Bounds bounds, java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> c = new HashMap<>(client);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Range range = bounds.of(consumer);
            Map<TopicPartition, Long> until = new HashMap<>(range.until());
            until.entrySet().removeIf(e -> e.getValue() <= range.from().getOrDefault(e.getKey(), 0L));
            if (until.isEmpty()) {
                return;
            }
            consumer.assign(until.keySet());
            consumer.seekToBeginning(until.keySet());
            until.keySet().forEach(tp -> {
                Long from = range.from().get(tp);
                if (from != null) {
                    consumer.seek(tp, from);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (until.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + until.keySet() + " up to " + until + " within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Long end = until.get(new TopicPartition(r.topic(), r.partition()));
                    if (r.offset() < end && each.test(r)) {
                        return;
                    }
                }
            }
        }
    }

    private static byte[] header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : h.value();
    }
}

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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What an actuator's group handled before this process started, given back to its {@link CommandGate}: the command
 * topics are read up to the group's committed offsets — each command through the same admission as when it came
 * live — and the outcome of each applied one taken from this actuator's acks. So a command applied before a restart
 * and sent again (a redelivery, or an old signed record produced anew) is acked and not applied, and one with its id
 * and other bytes is {@code replayed}. Commands the topics no longer hold (past retention) are not remembered: against
 * those, retiring old signing keys is the defence.
 */
final class AppliedBefore {
    private AppliedBefore() {
    }

    /**
     * Admits into {@code gate} every command of {@code wiring}'s topics below its group's committed offsets that
     * {@code handler} handles, settled with what {@code observer} acked for it; returns how many it admitted.
     */
    static int restore(ActuatorLoop.Wiring wiring, CommandHandler handler, String observer, CommandGate gate) {
        Map<TopicPartition, Long> upTo = committed(wiring);
        if (upTo.isEmpty()) {
            return 0;
        }
        Map<String, CommandGate.Outcome> acked = new HashMap<>();
        List<TopicPartition> ackPartitions = new ArrayList<>();
        read(wiring.client(), consumer -> {
            consumer.partitionsFor(wiring.ackTopic()).forEach(i -> ackPartitions.add(new TopicPartition(i.topic(), i.partition())));
            return consumer.endOffsets(ackPartitions);
        }, r -> {
            try {
                if (Codec.decodeInput(r.value()) instanceof AckEvent a && a.observer().equals(observer)
                        && a.eventId().equals("ack-" + a.commandId())) { // the ack of its first application
                    acked.putIfAbsent(a.commandId(), new CommandGate.Outcome(a.status(), a.detail()));
                }
            } catch (ContractViolation other) {
                // not an ack: nothing this actuator wrote
            }
        });
        int[] admitted = {0};
        read(wiring.client(), consumer -> upTo, r -> {
            Command c;
            try {
                if (!(Codec.decodeDecision(r.value()) instanceof Command command) || !handler.handles(command)) {
                    return;
                }
                c = command;
            } catch (ContractViolation v) {
                return;
            }
            if (gate.admit(c, r.value(), header(r, SigningKey.KID_HEADER), header(r, SigningKey.SIG_HEADER)).kind()
                    == CommandGate.Admission.Kind.APPLY) {
                gate.settled(c.commandId(), acked.getOrDefault(c.commandId(),
                        new CommandGate.Outcome("applied", "applied before this actuator started")));
                admitted[0]++;
            }
        });
        return admitted[0];
    }

    /** The group's committed offsets on the command topics' partitions (those it committed on). */
    private static Map<TopicPartition, Long> committed(ActuatorLoop.Wiring wiring) {
        Map<String, Object> c = new HashMap<>(wiring.client());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, wiring.groupId());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            wiring.commandTopics().forEach(t -> consumer.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition()))));
            Map<TopicPartition, Long> out = new HashMap<>();
            consumer.committed(new java.util.HashSet<>(parts), Duration.ofSeconds(30)).forEach((tp, o) -> {
                if (o != null && o.offset() > 0) {
                    out.put(tp, o.offset());
                }
            });
            return out;
        }
    }

    private interface Bounds {
        Map<TopicPartition, Long> of(KafkaConsumer<byte[], byte[]> consumer);
    }

    /** Reads the committed records of each partition {@code bounds} names, from its beginning up to the offset given. */
    private static void read(Map<String, Object> client, Bounds bounds, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> c = new HashMap<>(client);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> until = new HashMap<>(bounds.of(consumer));
            until.values().removeIf(end -> end <= 0);
            if (until.isEmpty()) {
                return;
            }
            consumer.assign(until.keySet());
            consumer.seekToBeginning(until.keySet());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (until.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + until.keySet() + " up to " + until + " within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Long end = until.get(new TopicPartition(r.topic(), r.partition()));
                    if (r.offset() < end) {
                        each.accept(r);
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

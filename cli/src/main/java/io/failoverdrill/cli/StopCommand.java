package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.schemas.CanonicalJson;
import io.failoverdrill.schemas.Timestamps;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.sign.SigningKey;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code drill stop --all | --drill ID [--clear]}: the emergency stop (docs/contracts.md §7). Writes a stop record
 * (or, with {@code --clear}, the tombstone that lifts it) to the compacted {@code <prefix>stop} topic, keyed by
 * scope; every engine stops issuing commands for the drills and guards it covers within one poll and refuses new
 * starts until it is cleared.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Emergency stop: every engine stops issuing commands for the scope and refuses new starts "
                + "until cleared (--clear).")
final class StopCommand implements Callable<Integer> {
    static final class Scope {
        @Option(names = "--all", required = true, description = "every drill and guard")
        boolean all;

        @Option(names = "--drill", required = true, paramLabel = "ID", description = "one drill or guard id")
        String drill;

        String key() {
            return all ? "all" : drill;
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Scope scope;

    @Option(names = "--clear", description = "lift the stop of this scope (writes its tombstone)")
    boolean clear;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (shown in the engines' logs and the drill's decision log)")
    String reason;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    SignerOption signer;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> client = kafka.reachableClient();
        Topics topics = kafka.topics();
        String key = scope.key();
        requireStopTopic(client, topics.stop());
        var out = spec.commandLine().getOut();
        ProducerRecord<String, byte[]> record;
        if (clear) {
            String inForce = stopInForce(client, topics.stop(), key);
            if (inForce == null) {
                out.println("stop     no stop '" + key + "' is in force on " + topics.stop() + ": nothing to clear");
                out.flush();
                return DrillCli.OK;
            }
            record = new ProducerRecord<>(topics.stop(), key, null);
            record.headers().add(SigningKey.CLEARS_HEADER, inForce.getBytes(StandardCharsets.UTF_8));
            signer.sign(record, SigningKey.clearingBytes(key, inForce));
        } else {
            byte[] value = CanonicalJson.bytes(record(key));
            record = new ProducerRecord<>(topics.stop(), key, value);
            signer.sign(record, value);
        }
        String where = OneRecord.send(client, record);
        String signed = signer.signingKey == null ? "unsigned: engines run with --keyset will refuse it" : "signed";
        if (clear) {
            String lifts = new String(record.headers().lastHeader(SigningKey.CLEARS_HEADER).value(), StandardCharsets.UTF_8);
            out.println("stop     clearing of '" + key + "' (lifts stop " + lifts + ") written to " + where + ", " + signed
                    + "; once engines accept it, starts are accepted again"
                    + (key.equals("all") ? "" : " unless a stop of 'all' is in force"));
        } else {
            out.println("stop     '" + key + "' written to " + where + ", " + signed + ": engines stop issuing commands for "
                    + (key.equals("all") ? "every drill and guard" : "'" + key + "'") + " and refuse starts until "
                    + "'drill stop --clear " + (key.equals("all") ? "--all" : "--drill " + key) + "'");
        }
        out.flush();
        return DrillCli.OK;
    }

    private Map<String, Object> record(String key) {
        Map<String, Object> m = new TreeMap<>();
        long now = System.currentTimeMillis();
        m.put("type", "stop");
        m.put("event_id", "stop-" + key + "-" + now + "-" + UUID.randomUUID().toString().substring(0, 8));
        m.put("ts", Timestamps.format(now));
        m.put("scope", key);
        m.put("reason", reason != null && !reason.isBlank() ? reason
                : "emergency stop by " + System.getProperty("user.name", "an operator"));
        return m;
    }

    /**
     * The {@code event_id} of the latest stop record of {@code key}, or null when there is none. A clearing written
     * after it does not count: it may have been refused (unsigned, where engines require signatures), and clearing
     * the same stop twice is harmless.
     */
    private static String stopInForce(Map<String, Object> client, String topic, String key) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        String eventId = null;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 30 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key()) && r.value() != null) {
                        eventId = stopEventId(r.value());
                    }
                }
            }
        }
        return eventId;
    }

    private static String stopEventId(byte[] value) {
        try {
            return Codec.decodeInput(value) instanceof StopEvent s ? s.eventId() : null;
        } catch (io.failoverdrill.schemas.ContractViolation v) {
            return null;
        }
    }

    /** The stop topic must exist and be compacted: an auto-created one would be neither what engines read nor keep. */
    private static void requireStopTopic(Map<String, Object> client, String topic) throws Exception {
        try (Admin admin = Admin.create(client)) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config;
            try {
                config = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                    throw new IllegalStateException("topic " + topic + " does not exist: run 'drill topics apply' first");
                }
                throw new IllegalStateException("cannot check topic " + topic + ": " + DrillCli.oneLine(e.getCause()));
            }
            String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new IllegalStateException("topic " + topic + " has cleanup.policy=" + policy
                        + "; the stop topic must be compacted: run 'drill topics apply'");
            }
        }
    }
}

package io.failoverdrill.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code drill list}: every drill and guard the engines have state for — from the compacted state topic — with its
 * phase, committed batches, last decision, watermark and snapshot, and from its consumer group where it runs (the
 * hosts of the live consumers, or {@code -} when none) and how many input records it has not consumed yet (lag).
 * A guard's state record is written with its snapshots, so its phase and watermark are those of the last snapshot.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the drills and guards: phase, batches, watermark, where they run and their input lag.")
final class ListCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> client = kafka.reachableClient();
        Topics topics = kafka.topics();
        Map<String, JsonNode> states = latestStates(client, topics);
        PrintWriter out = spec.commandLine().getOut();
        if (states.isEmpty()) {
            out.println("list     no drill or guard has state on " + topics.state());
            return DrillCli.OK;
        }
        out.printf("%-24s %-5s %-10s %8s %6s %-24s %-9s %10s  %s%n", "id", "kind", "phase", "batches", "seq",
                "watermark", "snapshot", "lag", "running on");
        try (Admin admin = Admin.create(client)) {
            for (Map.Entry<String, JsonNode> e : states.entrySet()) {
                JsonNode s = e.getValue();
                String group = KafkaEventLog.engineId(topics, e.getKey());
                JsonNode watermark = s.path("watermark_ms");
                out.printf("%-24s %-5s %-10s %8d %6d %-24s %-9s %10s  %s%n", e.getKey(), s.has("core") ? "guard" : "drill",
                        s.path("phase").asText("?"), s.path("batches").asLong(), s.path("last_seq").asLong(),
                        watermark.isNumber() ? Instant.ofEpochMilli(watermark.asLong()).toString() : "-",
                        s.has("core") ? "batch " + (s.path("batches").asLong() - 1) : "-", lag(admin, group), runningOn(admin, group));
            }
        }
        out.flush();
        return DrillCli.OK;
    }

    /** The latest state record per id (compaction keeps only those, plus the not yet compacted tail). */
    private static Map<String, JsonNode> latestStates(Map<String, Object> client, Topics topics) throws IOException {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, byte[]> latest = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = consumer.partitionsFor(topics.state()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null) {
                        if (r.value() == null) {
                            latest.remove(r.key());
                        } else {
                            latest.put(r.key(), r.value());
                        }
                    }
                }
            }
        }
        Map<String, JsonNode> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : latest.entrySet()) {
            out.put(e.getKey(), JSON.readTree(e.getValue()));
        }
        return out;
    }

    /** Input records the group has not consumed yet, over the partitions it has committed on. */
    private static String lag(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> query = committed.keySet().stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        if (query.isEmpty()) {
            return "-";
        }
        var ends = admin.listOffsets(query).all().get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            if (e.getValue() != null) {
                lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
            }
        }
        return Long.toString(lag);
    }

    /** The hosts of the group's live members, or {@code -}. */
    private static String runningOn(Admin admin, String group) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                .get(30, TimeUnit.SECONDS);
        String hosts = d.members().stream().map(MemberDescription::host).distinct().sorted().collect(Collectors.joining(","));
        return hosts.isEmpty() ? "-" : hosts;
    }
}

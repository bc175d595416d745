package io.failoverdrill.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code drill list}: every drill and guard submitted (plans topic) or with state (state topic) — with its
 * phase, committed batches, last decision, watermark and snapshot, and from its consumer group where it runs (the
 * {@code drill serve} instance owning a submitted one, or the hosts of a drill run's or guard's live consumers, or {@code -}) and how many input records it has not consumed yet (lag).
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
        Map<String, JsonNode> states = io.failoverdrill.engine.kafka.CompactedTopics.states(client, topics);
        Map<String, byte[]> submitted = io.failoverdrill.engine.kafka.CompactedTopics.plans(client, topics);
        PrintWriter out = spec.commandLine().getOut();
        java.util.SortedSet<String> ids = new java.util.TreeSet<>(states.keySet());
        ids.addAll(submitted.keySet());
        if (ids.isEmpty()) {
            out.println("list     no drill or guard has state on " + topics.state() + " or is submitted on " + topics.plans());
            return DrillCli.OK;
        }
        out.printf("%-24s %-5s %-10s %8s %6s %-24s %-9s %10s  %s%n", "id", "kind", "phase", "batches", "seq",
                "watermark", "snapshot", "lag", "running on");
        try (Admin admin = Admin.create(client)) {
            Map<String, String> owners = io.failoverdrill.engine.kafka.ServeGroup.ownersOf(admin, topics,
                    serveGroup != null ? serveGroup : io.failoverdrill.engine.kafka.AclPlan.serveGroup(topics),
                    List.copyOf(submitted.keySet()));
            for (String id : ids) {
                JsonNode s = states.getOrDefault(id, JSON.createObjectNode());
                byte[] plan = submitted.get(id);
                boolean guard = plan != null ? PlanRecord.isPolicy(plan) : DrillRuntime.holdsCore(s);
                String group = KafkaEventLog.engineId(topics, id);
                JsonNode watermark = s.path("watermark_ms");
                out.printf("%-24s %-5s %-10s %8d %6d %-24s %-9s %10s  %s%n", id, guard ? "guard" : "drill",
                        s.path("phase").asText(plan != null ? "submitted" : "?"), s.path("batches").asLong(), s.path("last_seq").asLong(),
                        watermark.isNumber() ? Instant.ofEpochMilli(watermark.asLong()).toString() : "-",
                        DrillRuntime.holdsCore(s) ? "batch " + (s.path("batches").asLong() - 1) : "-", lag(admin, group),
                        !guard && ended(s) ? endedWhere(s) : where(admin, group, owners.get(id)));
            }
        }
        out.flush();
        return DrillCli.OK;
    }

    @picocli.CommandLine.Option(names = "--serve-group", paramLabel = "GROUP",
            description = "the group of the drill serve instances (default: <prefix>serve)")
    String serveGroup;

    private static boolean ended(JsonNode state) {
        io.failoverdrill.schemas.decision.Phase p = io.failoverdrill.schemas.decision.Phase.fromWire(state.path("phase").asText());
        return p != null && p.terminal();
    }

    /**
     * A submitted id runs on the serve instance that owns its plans partition ({@code owner}); anything else where its
     * engine group's members are ({@code drill run}, {@code drill guard}).
     */
    private static String where(Admin admin, String group, String owner) throws Exception {
        return owner != null ? owner : runningOn(admin, group);
    }

    /** An ended drill runs nowhere: where its report is, once published. */
    private static String endedWhere(JsonNode state) {
        JsonNode report = state.path(DrillReports.REPORT_FIELD);
        return report.isTextual() ? "- (report at " + report.asText() + ")" : "- (report not published yet)";
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

    /** The hosts of the group's live members, or {@code -} (also for a group never created: submitted, never run). */
    private static String runningOn(Admin admin, String group) throws Exception {
        String hosts = io.failoverdrill.engine.kafka.ServeGroup.describe(admin, group).stream()
                .flatMap(d -> d.members().stream()).map(m -> m.host().replaceFirst("^/", "")).distinct().sorted()
                .collect(Collectors.joining(","));
        return hosts.isEmpty() ? "-" : hosts;
    }
}

package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.replay.TopicReplay;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The emergency stop on a real broker: acts on arrival, and no command follows it onto the command topics. */
class EmergencyStopOnKafkaTest {
    static final Path DRILL = Path.of("src", "test", "resources", "drills", "brownout");
    static DrillPlan plan;
    static List<String> events;
    static String bootstrap;

    @BeforeAll
    static void load() throws Exception {
        plan = Codec.decodePlan(Files.readAllBytes(DRILL.resolve("plan.json")));
        events = Files.readAllLines(DRILL.resolve("events.jsonl"));
        bootstrap = SharedKafka.bootstrapServers();
    }

    @Test
    void aStopMidDrillStopsItWithoutMoreEventTimeAndNoCommandFollowsTheStopsCommittedOffset() throws Exception {
        Topics t = new Topics("stop1.");
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        int firstAcks = firstLine("\"type\":\"ack\"") + 2; // the drill has evacuated: commands issued and acked
        List<Decision> out = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }));
        Disposable engine = new DrillRuntime(new DrillCore(plan), log, null).run().subscribe(out::add, errors::add);
        try (KafkaProducer<String, byte[]> p = KafkaEngineDlqTest.producer(bootstrap)) {
            send(p, t.telemetry(), events.subList(0, firstAcks));
            await().atMost(Duration.ofSeconds(60)).until(() -> out.stream().anyMatch(d -> d instanceof Command) || !errors.isEmpty());
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).until(() -> committed(t, t.telemetry()) == firstAcks);
            int decidedBefore = out.size();

            // the stop, and no further event time: it must act on its own arrival
            long stopOffset = p.send(new ProducerRecord<>(t.stop(), 0, "all", stop("all").getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS).offset();
            await().atMost(Duration.ofSeconds(30)).until(() -> out.size() > decidedBefore || !errors.isEmpty());
            assertThat(errors).isEmpty();
            assertThat(out.subList(decidedBefore, out.size())).singleElement().isInstanceOfSatisfying(PhaseChange.class,
                    pc -> assertThat(pc.to()).isEqualTo(Phase.STOPPED));
            assertThat(committed(t, t.stop())).isEqualTo(stopOffset + 1);

            // the rest of the drill's input — acks, a recovering region, time — changes nothing any more
            send(p, t.telemetry(), events.subList(firstAcks, events.size()));
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(t, t.telemetry()) == events.size());
        } finally {
            engine.dispose();
            log.close();
        }
        assertThat(errors).isEmpty();
        List<Decision> logged = CommittedRecords.values(bootstrap, t.decisions()).stream()
                .map(v -> Codec.decodeDecision(v.getBytes(StandardCharsets.UTF_8))).toList();
        Decision last = logged.get(logged.size() - 1);
        assertThat(last).isInstanceOfSatisfying(PhaseChange.class, pc -> {
            assertThat(pc.to()).isEqualTo(Phase.STOPPED);
            assertThat(pc.evidence()).extractingByKey("stop").asString().contains("incident 42");
        });
        List<String> commands = CommittedRecords.values(bootstrap, t.cutoverCommands());
        assertThat(commands).isNotEmpty().allSatisfy(c -> assertThat(Codec.decodeDecision(c.getBytes(StandardCharsets.UTF_8)).seq())
                .isLessThan(last.seq()));
        assertThat(CommittedRecords.values(bootstrap, t.clampCommands())).allSatisfy(c -> assertThat(
                Codec.decodeDecision(c.getBytes(StandardCharsets.UTF_8)).seq()).isLessThan(last.seq()));

        // replay reads the stop from the journal like any input: the same log, byte for byte
        ByteArrayOutputStream replayed = new ByteArrayOutputStream();
        TopicReplay.run(plan, bootstrap, t, Long.MIN_VALUE, Long.MAX_VALUE, replayed);
        assertThat(replayed.toString(StandardCharsets.UTF_8))
                .isEqualTo(String.join("\n", CommittedRecords.values(bootstrap, t.decisions())) + "\n");
    }

    @Test
    void aStartWhileAStopIsInForceGoesToTheDlqWithTheReasonAndAClearLetsTheNextStartThrough() throws Exception {
        Topics t = new Topics("stop2.");
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        int startLine = firstLine("\"action\":\"start\"");
        String start = events.get(startLine);
        List<Decision> out = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }));
        Disposable engine = new DrillRuntime(new DrillCore(plan), log, null).run().subscribe(out::add);
        try (KafkaProducer<String, byte[]> p = KafkaEngineDlqTest.producer(bootstrap)) {
            p.send(new ProducerRecord<>(t.stop(), 0, plan.drillId(), stop(plan.drillId()).getBytes(StandardCharsets.UTF_8))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> committed(t, t.stop()) == 1);
            send(p, t.telemetry(), events.subList(0, startLine + 1));
            var dead = KafkaEngineDlqTest.readAll(bootstrap, t.dlq(), 1);
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(EdgesOnKafkaTest.header(d, DrillRuntime.H_REASON)).contains("start refused: emergency stop '"
                        + plan.drillId() + "'");
                assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo(start);
            });
            // cleared by a tombstone, the next start goes through
            p.send(new ProducerRecord<>(t.stop(), 0, plan.drillId(), null)).get();
            String again = start.replace("\"event_id\":\"", "\"event_id\":\"again-");
            send(p, t.telemetry(), List.of(again));
            send(p, t.telemetry(), events.subList(startLine + 1, events.size()));
            await().atMost(Duration.ofSeconds(60)).until(() -> out.stream().anyMatch(d -> d instanceof PhaseChange pc
                    && pc.to() == Phase.PRECHECK));
        } finally {
            engine.dispose();
            log.close();
        }
    }

    static String stop(String scope) {
        return "{\"type\":\"stop\",\"event_id\":\"stop-" + scope + "\",\"ts\":\"2026-11-29T10:00:16.000Z\",\"scope\":\""
                + scope + "\",\"reason\":\"incident 42: hands off\"}";
    }

    static int firstLine(String containing) {
        return firstLineOf(events, containing);
    }

    static int firstLineOf(List<String> events, String containing) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).contains(containing)) {
                return i;
            }
        }
        throw new IllegalStateException("no line with " + containing);
    }

    /**
     * Sends {@code lines} in chunks of 200, 50 ms apart, as live input arrives (pacing the source, not waiting): all at
     * once, the engine may hold them for partitions not yet fetched and, on an input gone quiet, wait for a record
     * that never comes (docs/architecture.md, "Catching up").
     */
    static void send(KafkaProducer<String, byte[]> p, String topic, List<String> lines) {
        for (int i = 0; i < lines.size(); i += 200) {
            lines.subList(i, Math.min(lines.size(), i + 200))
                    .forEach(l -> p.send(new ProducerRecord<>(topic, 0, "k", l.getBytes(StandardCharsets.UTF_8))));
            p.flush();
            try {
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The engine's committed offset on partition 0 of {@code topic} (0 before any). */
    static long committed(Topics t, String topic) throws Exception {
        return committed(t, topic, plan.drillId());
    }

    static long committed(Topics t, String topic, String drillId) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(KafkaEventLog.engineId(t, drillId))
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata o = m.get(new TopicPartition(topic, 0));
            return o == null ? 0 : o.offset();
        }
    }
}

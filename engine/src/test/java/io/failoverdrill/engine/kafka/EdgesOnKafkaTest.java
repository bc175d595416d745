package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.Supervisor;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bad input at the edges, on a real broker: an oversized record, rejected control records, restarts and meters. */
class EdgesOnKafkaTest {
    static final Path DRILL = Path.of("src", "test", "resources", "drills", "brownout");
    static final AtomicInteger prefixes = new AtomicInteger();
    static DrillPlan plan;
    static List<String> events;
    static String bootstrap;

    @BeforeAll
    static void load() throws Exception {
        plan = Codec.decodePlan(Files.readAllBytes(DRILL.resolve("plan.json")));
        events = Files.readAllLines(DRILL.resolve("events.jsonl"));
        bootstrap = SharedKafka.bootstrapServers();
    }

    static Topics provisioned() {
        Topics t = new Topics("edges" + prefixes.incrementAndGet() + ".");
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        return t;
    }

    static KafkaProducer<String, byte[]> producer(int maxRequestBytes) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Test
    void aRecordLargerThanTheProducersMaxRequestSizeGoesToTheDlqTruncatedAndTheEngineGoesOn() throws Exception {
        Topics t = new Topics("edges" + prefixes.incrementAndGet() + ".");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) { // a telemetry topic allowing 3 MB records
            admin.createTopics(List.of(new NewTopic(t.telemetry(), 6, (short) 1).configs(Map.of("max.message.bytes", "3145728"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        byte[] huge = new byte[2 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        byte[] start = "{\"type\":\"request\",\"event_id\":\"big\",\"region\":\"us-east\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00.000Z\",\"pad\":\""
                .getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, huge, 0, start.length);
        try (KafkaProducer<String, byte[]> p = producer(3 * 1024 * 1024)) {
            p.send(new ProducerRecord<>(t.telemetry(), 0, "us-east", huge)).get(30, TimeUnit.SECONDS);
            for (String line : events) {
                p.send(new ProducerRecord<>(t.telemetry(), 0, "k", line.getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
        List<Decision> out = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }));
        Disposable engine = new DrillRuntime(new DrillCore(plan), log, null).run().subscribe(out::add, errors::add);
        try {
            List<ConsumerRecord<String, byte[]>> dead = KafkaEngineDlqTest.readAll(bootstrap, t.dlq(), 1);
            assertThat(dead).hasSize(1);
            ConsumerRecord<String, byte[]> d = dead.get(0);
            assertThat(header(d, DrillRuntime.H_REASON)).isEqualTo("oversized");
            assertThat(header(d, DrillRuntime.H_SIZE)).isEqualTo(Integer.toString(huge.length));
            assertThat(header(d, DrillRuntime.H_SOURCE)).isEqualTo(t.telemetry() + "/0@0");
            assertThat(d.value()).hasSize(DrillRuntime.OVERSIZED_KEPT).startsWith(start);
            // and the drill behind it runs on to the end
            await().atMost(Duration.ofSeconds(90)).until(() -> out.stream().anyMatch(x -> Codec.encodeToString(x)
                    .contains("\"to\":\"done\"")) || !errors.isEmpty());
            assertThat(errors).isEmpty();
        } finally {
            engine.dispose();
            log.close();
        }
    }

    static double consumed(SimpleMeterRegistry meters) {
        return meters.find("drill.records.consumed").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** Input records the drill's group committed: its offsets summed (the inputs hold no transaction markers). */
    static long committedInputRecords(Topics t) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.listConsumerGroupOffsets(KafkaEventLog.engineId(t, plan.drillId())).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).entrySet().stream().filter(e -> t.inputs().contains(e.getKey().topic()))
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void metersCountEveryRecordOnceAcrossSupervisedRestartsAndRejectedControlsAreReportedOnce() throws Exception {
        Topics t = provisioned();
        List<String> bad = List.of("{\"type\":\"control\",\"event_id\":\"s\",\"ts\":\"yesterday\",\"drill_id\":\"x\",\"action\":\"start\"}",
                "{\"type\":\"control\",\"event_id\":\"s2\",\"ts\":\"2026-11-29T10:00:00.000Z\",\"drill_id\":\"x\",\"action\":\"launch\"}");
        try (KafkaProducer<String, byte[]> p = producer(1024 * 1024)) {
            for (String b : bad) {
                p.send(new ProducerRecord<>(t.control(), 0, "x", b.getBytes(StandardCharsets.UTF_8)));
            }
            for (String line : events) {
                p.send(new ProducerRecord<>(t.telemetry(), 0, "k", line.getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<String> rejected = new CopyOnWriteArrayList<>();
        AtomicLong failAt = new AtomicLong(1);
        AtomicInteger restarts = new AtomicInteger();
        List<String> restartCauses = new CopyOnWriteArrayList<>();
        List<Decision> out = new CopyOnWriteArrayList<>();
        List<KafkaEventLog> logs = new ArrayList<>();
        Disposable engine = Supervisor.supervise(() -> {
                    KafkaEventLog log = new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(200, meters,
                            (batch, stage) -> {
                                if (batch == failAt.get() && stage == KafkaEventLog.Stage.SENT && restarts.get() < 5) {
                                    throw new IllegalStateException("broke at batch " + batch);
                                }
                            }));
                    logs.add(log);
                    return new DrillRuntime(new DrillCore(plan), log, meters)
                            .onRejected((r, v) -> rejected.add(r.topic() + "@" + r.offset() + ": " + v.getMessage()));
                }, Duration.ofMillis(50), Duration.ofSeconds(1), Supervisor::fenced, e -> {
                    restarts.incrementAndGet();
                    restartCauses.add(e.toString());
                }, reactor.core.scheduler.Schedulers.parallel()).subscribe(out::add, e -> restartCauses.add("fatal: " + e));
        try {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(out.stream().anyMatch(x -> Codec
                    .encodeToString(x).contains("\"to\":\"done\""))).as("done; restarts: %s", restartCauses).isTrue());
            assertThat(restarts.get()).isPositive();
            double dlq = meters.find("drill.records.dlq").counters().stream().mapToDouble(c -> c.count()).sum();
            assertThat(dlq).as("each rejected record counted once").isEqualTo(bad.size());
            // A restart after "done" finds the drill over and reads no further (DrillRuntime.run), so the records after
            // it may never be consumed: the meter must equal what the engine committed, not the topics' length.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(consumed(meters))
                    .as("each committed input record counted once; restarts: %s", restartCauses)
                    .isEqualTo(committedInputRecords(t)));
            assertThat(committedInputRecords(t)).as("the bad control records were consumed").isGreaterThanOrEqualTo(bad.size());
            assertThat(rejected).hasSize(bad.size()).allSatisfy(l -> assertThat(l).startsWith(t.control() + "@"));
            assertThat(rejected.get(0)).contains("$.ts");
            assertThat(rejected.get(1)).contains("$.action");
        } finally {
            engine.dispose();
            logs.forEach(KafkaEventLog::close);
        }
    }
}

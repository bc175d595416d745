package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.replay.TopicReplay;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.Supervisor;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once through a real broker: the committed brownout event file goes into one ordered input partition, and
 * the decision-log and cutover topics (read_committed) must equal the golden decision log — uninterrupted, with
 * the engine killed at ten points (before a batch is handled, and after its outputs were sent but before the commit),
 * and with a second live engine fencing the first.
 */
class RecoveryAndFencingTest {
    static final Path DRILL = Path.of("src", "test", "resources", "drills", "brownout");
    static DrillPlan plan;
    static List<String> events;
    static List<String> golden;
    static String bootstrap;
    static final AtomicInteger prefixes = new AtomicInteger();

    @BeforeAll
    static void load() throws IOException {
        plan = Codec.decodePlan(Files.readAllBytes(DRILL.resolve("plan.json")));
        events = Files.readAllLines(DRILL.resolve("events.jsonl"));
        golden = Files.readAllLines(DRILL.resolve("decisions.jsonl"));
        bootstrap = SharedKafka.bootstrapServers();
    }

    static Topics freshTopics() {
        Topics t = new Topics("rec" + prefixes.incrementAndGet() + ".", true);
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        return t;
    }

    static void produce(Topics t, List<String> lines) {
        try (KafkaProducer<String, byte[]> p = KafkaEngineDlqTest.producer(bootstrap)) {
            for (String line : lines) {
                p.send(new ProducerRecord<>(t.telemetry(), 0, "k", line.getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
    }

    static List<String> committed(String topic, int expected) {
        return KafkaEngineDlqTest.readAll(bootstrap, topic, expected).stream()
                .sorted(java.util.Comparator.comparingInt((ConsumerRecord<String, byte[]> r) -> r.partition())
                        .thenComparingLong(ConsumerRecord::offset))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    static List<String> goldenCommands() {
        return golden.stream().filter(l -> l.contains("\"command_id\"")).toList();
    }

    /** Starts an engine; returns its subscription. Errors are collected, never swallowed. */
    /** Every adapter a test started, closed after the test (killed engines are only closed once it has asserted). */
    static final List<KafkaEventLog> started = new CopyOnWriteArrayList<>();

    static Disposable start(Topics t, KafkaEventLog.Options options, List<Decision> out, List<Throwable> errors) {
        return start(plan, t, options, out, errors);
    }

    static Disposable start(DrillPlan p, Topics t, KafkaEventLog.Options options, List<Decision> out, List<Throwable> errors) {
        KafkaEventLog log = new KafkaEventLog(bootstrap, t, p.drillId(), options);
        started.add(log);
        return new DrillRuntime(new DrillCore(p), log, null).run().subscribe(out::add, errors::add);
    }

    /** Produces the first half of the events and starts an engine; returns once it has committed all of them. */
    static Disposable startOnFirstHalf(Topics t, List<Throwable> errors) {
        int half = events.size() / 2;
        produce(t, events.subList(0, half));
        Disposable engine = start(t, new KafkaEventLog.Options(100, null, (b, s) -> { }), new CopyOnWriteArrayList<>(), errors);
        await().atMost(Duration.ofSeconds(120)).until(() -> KafkaEventLog.readJournal(bootstrap, t, plan.drillId())
                .stream().mapToInt(e -> e.records()).sum() == half);
        return engine;
    }

    @org.junit.jupiter.api.AfterEach
    void closeEngines() {
        started.forEach(KafkaEventLog::close);
        started.clear();
    }

    static void assertTopicsEqualGolden(Topics t) {
        assertThat(committed(t.decisions(), golden.size())).containsExactlyElementsOf(golden);
        assertThat(committed(t.cutoverCommands(), goldenCommands().size())).containsExactlyElementsOf(goldenCommands());
    }

    @Test
    void anUninterruptedRunCommitsExactlyTheGoldenDecisionLog() {
        Topics t = freshTopics();
        produce(t, events);
        List<Decision> out = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Disposable engine = start(t, new KafkaEventLog.Options(100, null, (b, s) -> { }), out, errors);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> out.size() == golden.size() || !errors.isEmpty());
            assertThat(errors).isEmpty();
            assertThat(out.stream().map(Codec::encodeToString).toList()).containsExactlyElementsOf(golden);
            assertTopicsEqualGolden(t);

            java.io.ByteArrayOutputStream replayed = new java.io.ByteArrayOutputStream();
            TopicReplay.run(plan, bootstrap, t, Long.MIN_VALUE, Long.MAX_VALUE, replayed);
            assertThat(replayed.toString(StandardCharsets.UTF_8)).as("topic replay = the committed decision log")
                    .isEqualTo(String.join("\n", committed(t.decisions(), golden.size())) + "\n");
        } finally {
            engine.dispose();
        }
    }

    @Test
    void killedAtTenPointsAndRestartedEachTimeTheTopicsStillHoldExactlyTheGoldenLog() {
        Topics t = freshTopics();
        produce(t, events);
        record Kill(long batch, KafkaEventLog.Stage stage) {
        }
        List<Kill> kills = List.of(new Kill(1, KafkaEventLog.Stage.RECEIVED), new Kill(3, KafkaEventLog.Stage.SENT),
                new Kill(5, KafkaEventLog.Stage.RECEIVED), new Kill(6, KafkaEventLog.Stage.SENT),
                new Kill(9, KafkaEventLog.Stage.SENT), new Kill(12, KafkaEventLog.Stage.RECEIVED),
                new Kill(15, KafkaEventLog.Stage.SENT), new Kill(18, KafkaEventLog.Stage.RECEIVED),
                new Kill(22, KafkaEventLog.Stage.SENT), new Kill(26, KafkaEventLog.Stage.SENT));
        for (Kill kill : kills) {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            KafkaEventLog.Options options = new KafkaEventLog.Options(100, null, (batch, stage) -> {
                if (batch == kill.batch() && stage == kill.stage()) {
                    throw new IllegalStateException("killed at batch " + batch + " " + stage);
                }
            });
            // no graceful close: the dead engine's producer is left behind, to be fenced by the next one
            start(t, options, new CopyOnWriteArrayList<>(), errors);
            await().atMost(Duration.ofSeconds(60)).until(() -> !errors.isEmpty());
            assertThat(errors.get(0)).hasMessageContaining("killed at batch " + kill.batch());
        }
        List<Decision> out = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Disposable engine = start(t, new KafkaEventLog.Options(100, null, (b, s) -> { }), out, errors);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(t.decisions(), 0).size() >= golden.size() || !errors.isEmpty());
            assertThat(errors).isEmpty();
            assertTopicsEqualGolden(t);
            // every input record journaled once, in offset order, none skipped — up to where the drill ended (an engine
            // started after the end finds it over and reads no further)
            List<Long> journaled = KafkaEventLog.readJournal(bootstrap, t, plan.drillId()).stream()
                    .flatMap(e -> e.runs().stream())
                    .flatMap(r -> java.util.stream.LongStream.range(r.fromOffset(), r.fromOffset() + r.count()).boxed())
                    .sorted().toList();
            assertThat(journaled).as("each input offset journaled exactly once, from the first on")
                    .isEqualTo(java.util.stream.LongStream.range(0, journaled.size()).boxed().toList());
            assertThat(journaled.size()).as("at least the input the decisions needed")
                    .isGreaterThanOrEqualTo(golden.size()).isLessThanOrEqualTo(events.size());
        } finally {
            engine.dispose();
        }
    }

    @Test
    void theSupervisorRestartsAFailedPipelineWithBackoffAndLosesNothing() {
        Topics t = freshTopics();
        produce(t, events);
        AtomicInteger restarts = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong failAt = new java.util.concurrent.atomic.AtomicLong(4);
        List<Decision> out = new CopyOnWriteArrayList<>();
        Disposable engine = Supervisor.supervise(() -> new DrillRuntime(new DrillCore(plan),
                        new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(100, null, (batch, stage) -> {
                            if (batch == failAt.get() && stage == KafkaEventLog.Stage.SENT) {
                                failAt.addAndGet(7); // the receive side breaks a few times during the drill
                                throw new IllegalStateException("receiver broke at batch " + batch);
                            }
                        })), null),
                Duration.ofMillis(50), Duration.ofSeconds(1), Supervisor::fenced, e -> restarts.incrementAndGet(),
                reactor.core.scheduler.Schedulers.parallel()).subscribe(out::add);
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> committed(t.decisions(), 0).size() >= golden.size());
            assertThat(restarts.get()).isGreaterThanOrEqualTo(3);
            assertTopicsEqualGolden(t);
        } finally {
            engine.dispose();
        }
    }

    @Test
    void aSecondEngineForTheSameDrillFencesTheFirst() {
        Topics t = freshTopics();
        int half = events.size() / 2;
        List<Throwable> errorsA = new CopyOnWriteArrayList<>();
        Disposable a = startOnFirstHalf(t, errorsA);

        List<Decision> outB = new CopyOnWriteArrayList<>();
        List<Throwable> errorsB = new CopyOnWriteArrayList<>();
        Disposable b = start(t, new KafkaEventLog.Options(100, null, (x, s) -> { }), outB, errorsB);
        try {
            produce(t, events.subList(half, events.size()));
            await().atMost(Duration.ofSeconds(150)).until(() -> committed(t.decisions(), 0).size() >= golden.size() || !errorsB.isEmpty());
            assertThat(errorsB).isEmpty();
            assertTopicsEqualGolden(t);
            // The second engine took the drill's one static group membership (fencing the first's consumer) and its
            // transactional id (fencing the first's producer): the first fails at its next poll or transaction.
            // Should it not have got that far yet (with dynamic membership the rebalance could hand the telemetry to
            // the second engine, and the first never tried to emit), make it try: the second leaves and one more
            // (duplicate) record arrives.
            b.dispose();
            produce(t, events.subList(events.size() - 1, events.size()));
            await().atMost(Duration.ofSeconds(60)).until(() -> !errorsA.isEmpty());
            assertThat(errorsA).as("the first engine may not commit after the second started").hasSize(1);
            // ProducerFenced, or FencedInstanceId when its consumer notices first (one static member per drill); when the old engine's EndTxn races the new one's InitProducerId the 4.1 broker
            // may answer UNKNOWN_SERVER_ERROR instead, and when its next transactional request arrives while the
            // coordinator is aborting its open transaction for the new epoch, INVALID_TXN_STATE — either way its
            // transaction is aborted, never committed (the topics below hold exactly the golden log)
            assertThat(chain(errorsA.get(0))).containsAnyOf("ProducerFenced", "InvalidProducerEpoch", "fenced",
                    "Unhandled error in EndTxnResponse", "InvalidTxnStateException", "FencedInstanceId");
            assertTopicsEqualGolden(t);
        } finally {
            a.dispose();
            b.dispose();
        }
    }

    @Test
    void anotherMemberJoiningTheEnginesGroupIsNotHeldUpByTheEngine() {
        Topics t = freshTopics();
        Disposable a = startOnFirstHalf(t, new CopyOnWriteArrayList<>());
        // A second engine (or a restarted one) joins the group: the rebalance completes only once the running engine
        // has given its partitions up. reactor-kafka would hold them for 60 s waiting for acknowledgements the
        // engine never makes (its offsets go with its transactions).
        var deserializer = new org.apache.kafka.common.serialization.ByteArrayDeserializer();
        try (var joiner = new org.apache.kafka.clients.consumer.KafkaConsumer<>(java.util.Map.<String, Object>of(
                "bootstrap.servers", bootstrap, "group.id", KafkaEventLog.engineId(t, plan.drillId()),
                "enable.auto.commit", false), deserializer, deserializer)) {
            joiner.subscribe(t.inputs());
            await().atMost(Duration.ofSeconds(25)).until(() -> {
                joiner.poll(Duration.ofMillis(100));
                return joiner.groupMetadata().generationId() >= 2;
            });
        } finally {
            a.dispose();
        }
    }

    @Test
    void aDrillIdThatIsNoLegalKafkaNameStillRuns() throws IOException {
        // a drill id may be any string; the consumer's static member id may not (StaticMemberIdTest)
        String id = "golden brownout/2026 ü";
        DrillPlan renamed = Codec.decodePlan(Files.readString(DRILL.resolve("plan.json"))
                .replace("golden-brownout", id).getBytes(StandardCharsets.UTF_8));
        Topics t = freshTopics();
        produce(t, events.stream().map(l -> l.replace("golden-brownout", id)).toList());
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Disposable engine = start(renamed, t, new KafkaEventLog.Options(100, null, (b, s) -> { }), new CopyOnWriteArrayList<>(), errors);
        try {
            // the recorded acks name the golden drill's command ids (a hash over the drill id), so this drill runs
            // up to its first cutover step and waits there for acks: enough to show it consumes, decides and commits
            await().atMost(Duration.ofSeconds(60)).until(() -> !committed(t.cutoverCommands(), 0).isEmpty() || !errors.isEmpty());
            assertThat(errors).isEmpty();
            assertThat(committed(t.decisions(), 0)).hasSizeGreaterThan(1).allMatch(l -> l.contains("\"drill_id\":\"" + id + "\""));
        } finally {
            engine.dispose();
        }
    }

    @Test
    void aRestartedEngineDoesNotTakeTheDrillBackFromANewerOne() {
        Topics t = freshTopics();
        int half = events.size() / 2;
        Disposable a = startOnFirstHalf(t, new CopyOnWriteArrayList<>());
        KafkaEventLog logA = started.get(started.size() - 1);
        long committedByA = logA.committedBatches();
        a.dispose(); // A's pipeline fails; its supervisor waits out the backoff while B takes the drill over
        logA.close();

        List<Throwable> errorsB = new CopyOnWriteArrayList<>();
        Disposable b = start(t, new KafkaEventLog.Options(100, null, (x, s) -> { }), new CopyOnWriteArrayList<>(), errorsB);
        try {
            produce(t, events.subList(half, events.size()));
            await().atMost(Duration.ofSeconds(120)).until(() ->
                    KafkaEventLog.readJournal(bootstrap, t, plan.drillId()).size() > committedByA + 1 || !errorsB.isEmpty());
            // A's supervisor would now restart it: the restart must stand down instead of fencing B
            KafkaEventLog restartOfA = new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(100, null, (x, s) -> { }));
            started.add(restartOfA);
            restartOfA.takeOverOnlyFrom(committedByA);
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> restartOfA.recover(plan.drillId()));
            assertThat(refused).isInstanceOf(io.failoverdrill.engine.runtime.EngineSupersededException.class);
            assertThat(Supervisor.fenced(refused)).as("the supervisor does not retry it").isTrue();

            await().atMost(Duration.ofSeconds(150)).until(() -> committed(t.decisions(), 0).size() >= golden.size() || !errorsB.isEmpty());
            assertThat(errorsB).as("the newer engine was not fenced").isEmpty();
            assertTopicsEqualGolden(t);
        } finally {
            b.dispose();
        }
    }

    static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = new java.util.HashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}

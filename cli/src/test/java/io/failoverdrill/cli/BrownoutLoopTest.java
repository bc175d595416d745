package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.ClientProperties;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.InputEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton end to end through a real broker: simulated regions, probes, engine, actuator. Asserts what
 * actually landed on the topics (read_committed), not what the engine believes it sent.
 */
class BrownoutLoopTest {
    static DemoDrill demo;
    static DemoDrill.Result result;
    static StringWriter console = new StringWriter();

    @BeforeAll
    static void runTheDrill() throws InterruptedException {
        demo = new DemoDrill(new PrintWriter(console, true));
        result = demo.run(PlanFiles.bundled("demo-brownout"), ClientProperties.of(SharedKafka.bootstrapServers()), "loop.",
                Duration.ofSeconds(120), 200);
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @Test
    void theDrillPassesWithEveryPhaseInRunbookOrder() {
        assertThat(result.finalPhase()).as(console.toString()).isEqualTo(Phase.DONE);
        assertThat(result.passed()).as(console.toString()).isTrue();
        assertThat(console.toString()).contains("phase    precheck → evacuate", "command  set_weights", "verdict  cutover_time",
                "status   precheck", "waiting for baseline", "observers, event time");
    }

    @Test
    void theCutoverTopicHoldsExactlyTheFourCommandsInOrder() {
        List<Command> commands = read(result.topics().cutoverCommands(), 4).stream()
                .map(r -> (Command) Codec.decodeDecision(r.value()))
                .filter(c -> c.drillId().equals(result.drillId()))
                .toList();
        assertThat(commands).extracting(Command::type)
                .containsExactly("freeze_writes", "set_weights", "promote_writer", "stick");
        assertThat(commands.get(0).body()).isEqualTo(new CommandBody.FreezeWrites(List.of("us-east"), "enqueue"));
        assertThat(((CommandBody.SetWeights) commands.get(1).body()).weights())
                .isEqualTo(Map.of("us-east", 0, "eu-west", 100));
        assertThat(commands.get(2).body()).isEqualTo(new CommandBody.PromoteWriter("eu-west"));
        assertThat(commands.get(3).body()).isEqualTo(new CommandBody.Stick("eu-west", 15));
        for (Command c : commands) {
            assertThat(c.commandId()).isEqualTo(Command.idOf(c.drillId(), c.seq(), c.body()));
        }
        List<String> emitted = result.decisions().stream().filter(d -> d instanceof Command)
                .map(d -> ((Command) d).commandId()).toList();
        assertThat(commands).extracting(Command::commandId).containsExactlyElementsOf(emitted);
    }

    @Test
    void everyCommandWasAckedAppliedByTheActuator() {
        List<String> commandIds = result.decisions().stream().filter(d -> d instanceof Command)
                .map(d -> ((Command) d).commandId()).toList();
        List<AckEvent> acks = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : read(result.topics().acks(), commandIds.size())) {
            InputEvent e = Codec.decodeInput(r.value());
            if (e instanceof AckEvent a && commandIds.contains(a.commandId())) {
                acks.add(a);
            }
        }
        assertThat(acks).extracting(AckEvent::commandId).containsExactlyInAnyOrderElementsOf(commandIds);
        assertThat(acks).allSatisfy(a -> assertThat(a.status()).isEqualTo("applied"));
    }

    @Test
    void theDecisionLogTopicEqualsWhatTheEngineDecidedAndHoldsBothVerdicts() {
        List<String> committed = read(result.topics().decisions(), result.decisions().size()).stream()
                .map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
                .filter(s -> s.contains("\"drill_id\":\"" + result.drillId() + "\""))
                .toList();
        assertThat(committed).containsExactlyElementsOf(result.decisions().stream().map(Codec::encodeToString).toList());

        Verdict cutover = verdict("cutover_time");
        assertThat(cutover.pass()).isTrue();
        assertThat(((Number) cutover.value()).doubleValue()).isPositive().isLessThanOrEqualTo(30);
        Verdict p95 = verdict("p95_ratio");
        assertThat(p95.pass()).isTrue();
        assertThat(((Number) p95.value()).doubleValue()).isPositive().isLessThanOrEqualTo(1.25);
        assertThat(p95.evidence()).containsKey("regions");
    }

    @Test
    void theReportReplayedFromTheTopicsEqualsTheLiveReport(@TempDir Path tmp) throws Exception {
        Path live = tmp.resolve("live");
        demo.report(result, live);
        Path plan = tmp.resolve("plan.json");
        Files.write(plan, Files.readAllBytes(Path.of("..", "plans", "demo-brownout.json")));
        Path replayed = tmp.resolve("replayed");
        int exit = DrillCli.commandLine().execute("replay", "--plan", plan.toString(), "--bootstrap-servers",
                ClientProperties.bootstrap(result.client()), "--topic-prefix", "loop.", "--drill-id", result.drillId(),
                "--out", tmp.resolve("decisions.jsonl").toString(), "--report", replayed.toString());
        assertThat(exit).isZero();
        for (String file : List.of("report.json", "report.html")) {
            assertThat(Files.readString(replayed.resolve(file))).as(file).isEqualTo(Files.readString(live.resolve(file)));
        }
        String json = Files.readString(live.resolve("report.json"));
        assertThat(json).contains("\"drill_id\":\"" + result.drillId() + "\"", "\"check\":\"cutover_time\"",
                "\"passed\":true");
    }

    @Test
    void userTrafficReallyMovedToTheSurvivor() {
        assertThat(result.routedRequests().get("eu-west")).isGreaterThan(2 * result.routedRequests().get("us-east"));
    }

    static Verdict verdict(String check) {
        return result.decisions().stream().filter(d -> d instanceof Verdict v && v.check().equals(check))
                .map(d -> (Verdict) d).findFirst().orElseThrow();
    }

    static List<ConsumerRecord<String, byte[]>> read(String topic, int atLeast) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ClientProperties.bootstrap(result.client()),
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= atLeast;
            });
            c.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        out.sort(java.util.Comparator.comparingInt((ConsumerRecord<String, byte[]> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset));
        return out;
    }

}

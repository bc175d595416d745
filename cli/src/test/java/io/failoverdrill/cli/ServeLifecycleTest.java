package io.failoverdrill.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.failoverdrill.engine.kafka.ClientProperties;
import io.failoverdrill.engine.kafka.CompactedTopics;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.testing.GuardTraffic;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One real {@code drill serve} process through a drill's and a guard's life: {@code drill submit} validates (exit 2
 * with the field's path) and refuses another plan under a submitted id; a bad record written to the plans topic by
 * another producer is refused in one line and nothing else stops; the drill runs on its start control event to the
 * golden log and its report is published; {@code drill list} shows the guard on the instance; a withdrawal stops the
 * guard; a restarted instance does not run the ended drill again — unless its report was not published, which it then
 * publishes without deciding anything; an instance leaving with {@code --leave-on-exit}
 * hands its share back at once; a second instance under the same id fences the first, which exits saying why.
 */
class ServeLifecycleTest extends CliRunner {
    static final String PREFIX = "srvl.";
    static final Path DRILL = EngineProcessKillTest.DRILL;

    @Test
    void aDrillAndAGuardFromSubmissionToWithdrawal(@TempDir Path tmp) throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics(PREFIX, true);
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        String[] kafka = {"--bootstrap-servers", bootstrap, "--topic-prefix", PREFIX, "--single-input"};

        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"guard_id\":\"g\",\"regions\":[\"us-east\"],\"detect\":{}}");
        assertThat(run(concat(new String[]{"submit", bad.toString()}, kafka))).isEqualTo(2);
        assertThat(err.toString()).contains("$.detect.p95_ms: is required");

        Process serve = serve(bootstrap, tmp.resolve("first.log"));
        Process again = null;
        Process leaving = null;
        Process twin = null;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> log(tmp, "first").contains("serve    took plans partition(s)"));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(topics.plans(), "broken", "{not json".getBytes(StandardCharsets.UTF_8))).get();
            }
            assertThat(run(concat(new String[]{"submit", DRILL.resolve("plan.json").toString()}, kafka))).as(err.toString()).isZero();
            assertThat(run(concat(new String[]{"submit", GuardProcessKillTest.POLICY.toString()}, kafka))).as(err.toString()).isZero();
            Path changed = Files.writeString(tmp.resolve("changed.json"),
                    Files.readString(GuardProcessKillTest.POLICY).replace("\"p95_ms\": 250", "\"p95_ms\": 300"));
            assertThat(run(concat(new String[]{"submit", changed.toString()}, kafka))).isEqualTo(2);
            assertThat(err.toString()).contains("'guard-prod' is already submitted with another plan");
            await().atMost(Duration.ofSeconds(60)).until(() -> log(tmp, "first").contains("hosting guard 'guard-prod'")
                    && log(tmp, "first").contains("hosting drill 'golden-brownout'"));
            assertThat(log(tmp, "first")).contains("refused the plan of 'broken'");

            // a bad record among the drill's events: both the drill and the guard read it, the group reports it once
            await().atMost(Duration.ofSeconds(60)).until(() -> log(tmp, "first").contains("serve    bad input goes to srvl.dlq once per group"));
            List<String> events = new java.util.ArrayList<>(Files.readAllLines(DRILL.resolve("events.jsonl")));
            events.add(100, BAD_RECORD);
            EngineProcessKillTest.feed(bootstrap, topics.telemetry(), events, 500);
            List<String> guardTraffic = GuardTraffic.of(30, s -> 100).stream().map(Codec::encodeToString).toList();
            EngineProcessKillTest.feed(bootstrap, topics.telemetry(), guardTraffic, 500);
            await().atMost(Duration.ofSeconds(90)).until(() -> log(tmp, "first").contains("report   published to srvl.reports (key golden-brownout"));
            io.failoverdrill.schemas.plan.DrillPlan guard = io.failoverdrill.schemas.plan.GuardPolicy.decode(Files.readAllBytes(GuardProcessKillTest.POLICY));
            // the drill ended after it (its report is out); the guard has committed past it (offset 100 of a fresh topic)
            await().atMost(Duration.ofSeconds(60)).until(() -> GuardProcessKillTest.consumed(bootstrap, topics, guard) > 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(bootstrap, topics) > 0);
            assertThat(deadLetters(bootstrap, topics)).as("read by a drill and a guard, dead-lettered once").isEqualTo(1);
            assertThat(log(tmp, "first")).contains("serve    drill 'golden-brownout' ended");
            assertThat(EngineProcessKillTest.read(bootstrap, topics.decisions()).stream()
                    .filter(l -> l.contains("\"golden-brownout\"")).toList())
                    .containsExactlyElementsOf(Files.readAllLines(DRILL.resolve("decisions.jsonl")));

            out.getBuffer().setLength(0);
            assertThat(run(concat(new String[]{"list"}, kafka))).as(err.toString()).isZero();
            assertThat(out.toString().lines().filter(l -> l.startsWith("guard-prod ")).findFirst().orElseThrow())
                    .contains(" guard ").contains("s1 (");
            assertThat(out.toString().lines().filter(l -> l.startsWith("golden-brownout ")).findFirst().orElseThrow())
                    .contains(" drill ").contains(" done ").contains("- (report at srvl.reports/0@");

            assertThat(run(concat(new String[]{"submit", "--withdraw", "guard-prod"}, kafka))).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> log(tmp, "first").contains("'guard-prod' withdrawn: stopped"));

            serve.destroyForcibly();
            assertThat(serve.waitFor(10, TimeUnit.SECONDS)).isTrue();
            again = serve(bootstrap, tmp.resolve("second.log"));
            await().atMost(Duration.ofSeconds(60)).until(() -> log(tmp, "second").contains("drill 'golden-brownout' ended before"));
            assertThat(log(tmp, "second")).doesNotContain("hosting drill 'golden-brownout'").doesNotContain("hosting guard");
            JsonNode reported = CompactedTopics.states(ClientProperties.of(bootstrap), topics).get("golden-brownout");
            assertThat(reported.path("report").asText()).as("the state record says where the report is").startsWith("srvl.reports/0@");

            // an instance that died after the drill's last commit and before its report: the next one publishes it
            again.destroyForcibly();
            assertThat(again.waitFor(10, TimeUnit.SECONDS)).isTrue();
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(), new ByteArraySerializer())) {
                ObjectNode unreported = ((ObjectNode) reported.deepCopy()).without("report");
                p.send(new ProducerRecord<>(topics.state(), "golden-brownout", unreported.toString().getBytes(StandardCharsets.UTF_8))).get();
                p.send(new ProducerRecord<>(topics.reports(), "golden-brownout", null)).get();
            }
            again = serve(bootstrap, tmp.resolve("third.log"));
            await().atMost(Duration.ofSeconds(60)).until(() -> log(tmp, "third").contains("report   published to srvl.reports (key golden-brownout"));
            assertThat(log(tmp, "third")).contains("hosting drill 'golden-brownout'").contains("serve    drill 'golden-brownout' ended");
            assertThat(EngineProcessKillTest.read(bootstrap, topics.decisions()).stream()
                    .filter(l -> l.contains("\"golden-brownout\"")).toList())
                    .as("nothing decided again").containsExactlyElementsOf(Files.readAllLines(DRILL.resolve("decisions.jsonl")));
            assertThat(CompactedTopics.states(ClientProperties.of(bootstrap), topics).get("golden-brownout").path("report").asText())
                    .startsWith("srvl.reports/0@");
            assertThat(io.failoverdrill.kafka.testkit.CommittedRecords.readToEnd(bootstrap, topics.reports()).stream()
                    .filter(r -> "golden-brownout".equals(r.key())).reduce((a, b) -> b).orElseThrow().value())
                    .as("the report is back").isNotNull();

            // scaling down: an instance with --leave-on-exit hands its share back at once on SIGTERM, well within the
            // 20 s session timeout it would otherwise leave the group to wait out
            leaving = serve(bootstrap, tmp.resolve("leaving.log"), "s2", "--leave-on-exit", "--session-timeout-s", "20");
            await().atMost(Duration.ofSeconds(60)).until(() -> log(tmp, "third").contains("serve    gave up plans partition(s)")
                    && log(tmp, "leaving").contains("serve    took plans partition(s)"));
            long took = log(tmp, "third").lines().filter(l -> l.startsWith("serve    took plans partition(s)")).count();
            leaving.destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(10)).until(() -> log(tmp, "third").lines()
                    .filter(l -> l.startsWith("serve    took plans partition(s)")).count() > took);

            // a second instance under the same id fences the first, which stops saying why and exits non-zero
            twin = serve(bootstrap, tmp.resolve("twin.log"));
            assertThat(again.waitFor(60, TimeUnit.SECONDS)).as("the fenced instance ends").isTrue();
            assertThat(again.exitValue()).isNotZero();
            assertThat(log(tmp, "third")).contains("another drill serve instance joined group").contains("--instance-id s1");
        } finally {
            serve.destroy();
            ChildProcesses.stop(twin);
            ChildProcesses.stop(leaving);
            ChildProcesses.stop(again);
            ChildProcesses.stop(serve);
        }
    }

    /** A telemetry record that breaks the contract (no ts, observer, region or payload). */
    static final String BAD_RECORD = "{\"type\":\"request\",\"event_id\":\"bad-read-by-two\"}";

    /** DLQ records holding {@link #BAD_RECORD}. */
    static long deadLetters(String bootstrap, Topics topics) {
        return io.failoverdrill.kafka.testkit.CommittedRecords.readToEnd(bootstrap, topics.dlq()).stream()
                .filter(r -> BAD_RECORD.equals(new String(r.value(), StandardCharsets.UTF_8))).count();
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String log(Path tmp, String name) throws IOException {
        return Files.readString(tmp.resolve(name + ".log"));
    }

    static Process serve(String bootstrap, Path log) throws IOException {
        return serve(bootstrap, log, "s1", "--session-timeout-s", "6");
    }

    static Process serve(String bootstrap, Path log, String instance, String... options) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.failoverdrill.cli.DrillCli", "serve", "--instance-id", instance, "--from", "earliest", "--status-every-s", "0",
                "--bootstrap-servers", bootstrap, "--topic-prefix", PREFIX, "--single-input"));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}

package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.AclPlan;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.kafka.testkit.SecuredKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.sign.SigningKey;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A whole drill on a production-shaped broker — SASL_SSL (SCRAM-SHA-512 users made through the Admin API, a
 * keytool-made CA), StandardAuthorizer with {@code allow.everyone.if.no.acl.found=false} — with each component in
 * its own process under its own principal, holding exactly the ACLs {@code drill acl --apply} gave it: the simulator
 * (actuator) verifying signed commands, a probe, the engine signing them; an operator starts the drill, an analyst
 * replays it. Then what least privilege must refuse, and a grep of every line for the passwords.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredDrillTest {
    static final String PREFIX = "sec.";
    static final Topics TOPICS = new Topics(PREFIX);
    static final String DRILL = "secured-brownout";
    /** The topic the Collector (here: the admin) writes OTLP metrics to. */
    static final String OTLP_TOPIC = PREFIX + "otlp_metrics";
    static Path dir;
    static SecuredKafka kafka;
    static final Map<String, Path> configs = new HashMap<>();
    static final List<Process> processes = new ArrayList<>();
    static final StringWriter cliOutput = new StringWriter();
    static Path plan;
    static String engineKid;
    static int engineExit;

    @BeforeAll
    static void startTheSecuredBrokerAndTheComponents() throws Exception {
        dir = Files.createTempDirectory("drill-secured-");
        kafka = SecuredKafka.start(dir);
        for (String user : List.of("drill-engine", "drill-probe", "drill-sim", "drill-operator", "drill-analyst", "drill-otlp")) {
            kafka.createUser(user);
        }
        for (String user : List.of("admin", "drill-engine", "drill-probe", "drill-sim", "drill-operator", "drill-analyst", "drill-otlp")) {
            configs.put(user, kafka.clientConfig(user));
        }
        String bootstrap = kafka.bootstrapServers();
        assertThat(cli("topics", "apply", "--bootstrap-servers", bootstrap, "--kafka-config", config("admin"),
                "--topic-prefix", PREFIX, "--replication-factor", "1")).isZero();
        // the engine's ACLs as an operator would add them: the kafka-acls lines drill acl prints, run by Kafka's own tool
        CliRunnerAccess printed = new CliRunnerAccess();
        assertThat(printed.run("acl", "--principal-engine", "User:drill-engine", "--bootstrap-servers", bootstrap,
                "--command-config-path", config("admin"), "--topic-prefix", PREFIX)).isZero();
        List<String> lines = printed.out.toString().lines().filter(l -> l.startsWith("kafka-acls.sh ")).toList();
        assertThat(lines).hasSize(16);
        for (String line : lines) {
            kafkaAcls(line.substring("kafka-acls.sh ".length()).split(" "));
        }
        // the others through the Admin API
        assertThat(cli("acl", "--apply", "--bootstrap-servers", bootstrap, "--kafka-config", config("admin"), "--topic-prefix", PREFIX,
                "--principal-probe", "User:drill-probe", "--principal-sim", "User:drill-sim",
                "--principal-operator", "User:drill-operator", "--principal-analyst", "User:drill-analyst",
                "--principal-otlp-bridge", "User:drill-otlp", "--otlp-topic", OTLP_TOPIC)).isZero();
        assertThat(cli("keys", "gen", "--out", dir.resolve("engine.key").toString(), "--keyset", dir.resolve("keys.json").toString()))
                .isZero();
        engineKid = SigningKey.load(dir.resolve("engine.key")).kid();

        // one probe observer: the plan's quorum is 1
        plan = dir.resolve("plan.json");
        // What this drill proves is the security path (principals, ACLs, signatures), with five JVMs on two cores: the
        // sims' real latency there swings with CPU contention, so the p95 ratio target is relaxed (the p95 verdict has
        // tests of its own); every other acceptance target is the seed's.
        Files.writeString(plan, Files.readString(Path.of("..", "plans", "demo-brownout.json")).replace("\"quorum\": 2", "\"quorum\": 1")
                .replace("\"detect\":", "\"acceptance\": { \"p95_ratio_max\": 20 },\n  \"detect\":"));
        int base = freePortPair();
        Path probes = dir.resolve("probes.json");
        Files.writeString(probes, ("{\"observer\":\"probe-a\",\"timeout_ms\":2000,\"regions\":["
                + "{\"name\":\"us-east\",\"service_url\":\"http://127.0.0.1:%d/api\",\"status_url\":\"http://127.0.0.1:%d\",\"rps\":10,\"retrieve_url\":\"http://127.0.0.1:%d/retrieve\"},"
                + "{\"name\":\"eu-west\",\"service_url\":\"http://127.0.0.1:%d/api\",\"status_url\":\"http://127.0.0.1:%d\",\"rps\":10,\"retrieve_url\":\"http://127.0.0.1:%d/retrieve\"}],"
                + "\"rag\":{\"gold_set\":\"bundled\",\"corpus\":\"bundled\",\"k\":10,\"period_s\":10}}")
                .formatted(base, base, base, base + 1, base + 1, base + 1));
        Process sim = process("sim", "sim", "--regions", "us-east,eu-west", "--port-base", String.valueOf(base), "--keyset",
                dir.resolve("keys.json").toString(), "--bootstrap-servers", bootstrap, "--kafka-config", config("drill-sim"),
                "--topic-prefix", PREFIX);
        await().atMost(Duration.ofSeconds(90)).until(() -> log("sim").contains("traffic  router") || !sim.isAlive());
        assertThat(sim.isAlive()).as(log("sim")).isTrue();
        process("probe", "probe", "--config", probes.toString(), "--bootstrap-servers", bootstrap, "--kafka-config",
                config("drill-probe"), "--topic-prefix", PREFIX);
        Process engine = process("engine", "run", "--plan", plan.toString(), "--drill-id", DRILL, "--signing-key",
                dir.resolve("engine.key").toString(), "--keyset", dir.resolve("keys.json").toString(), "--status-every-s", "5",
                "--bootstrap-servers", bootstrap, "--kafka-config", config("drill-engine"), "--topic-prefix", PREFIX);
        await().atMost(Duration.ofSeconds(90)).until(() -> log("engine").contains("observers, event time") || !engine.isAlive());
        assertThat(engine.isAlive()).as(log("engine")).isTrue();
        assertThat(cli("control", "start", "--drill", DRILL, "--bootstrap-servers", bootstrap, "--kafka-config",
                config("drill-operator"), "--topic-prefix", PREFIX)).isZero();
        assertThat(engine.waitFor(240, TimeUnit.SECONDS)).as(log("engine")).isTrue();
        engineExit = engine.exitValue();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : processes) {
            ChildProcesses.stop(p);
        }
        if (kafka != null) {
            kafka.close();
        }
        try (var files = Files.walk(dir)) { // the users' properties files hold passwords
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void theWholeDrillPassesWithEachComponentUnderItsOwnPrincipalAndSignedCommandsOnly() {
        assertThat(engineExit).as(log("engine")).isZero();
        assertThat(log("engine")).contains("signing commands with " + engineKid, "phase    closeout → done");
        List<ConsumerRecord<String, byte[]>> commands = readAll("drill-analyst", TOPICS.cutoverCommands());
        assertThat(commands).isNotEmpty().allSatisfy(r -> assertThat(new String(r.headers().lastHeader(SigningKey.KID_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo(engineKid));
        List<AckEvent> acks = readAll("drill-analyst", TOPICS.acks()).stream().map(r -> (AckEvent) Codec.decodeInput(r.value())).toList();
        assertThat(acks).hasSizeGreaterThanOrEqualTo(commands.size()).allSatisfy(a -> assertThat(a.status()).isEqualTo("applied"));
        assertThat(log("sim")).contains("actuator verifies signatures: " + engineKid + " active");
    }

    @Test
    @Order(2)
    void theAnalystReplaysTheDrillByteForByteButCannotWrite() throws Exception {
        Path out = dir.resolve("replayed.jsonl");
        assertThat(cli("replay", "--plan", plan.toString(), "--drill-id", DRILL, "--out", out.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--kafka-config", config("drill-analyst"), "--topic-prefix", PREFIX)).isZero();
        List<String> logged = readAll("drill-analyst", TOPICS.decisions()).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(Files.readAllLines(out)).isNotEmpty().containsExactlyElementsOf(logged);
        assertDenied("drill-analyst", TOPICS.control());
        assertDenied("drill-analyst", TOPICS.cutoverCommands());
    }

    @Test
    @Order(3)
    void theProbeAndTheSimulatorCannotWriteCommandsNorTheOperatorAndProbeStopsOrAcks() throws Exception {
        assertDenied("drill-probe", TOPICS.cutoverCommands());
        assertDenied("drill-probe", TOPICS.clampCommands());
        assertDenied("drill-probe", TOPICS.control());
        assertDenied("drill-sim", TOPICS.cutoverCommands());
        assertDenied("drill-operator", TOPICS.cutoverCommands());
        assertDenied("drill-operator", TOPICS.acks());
    }

    @Test
    @Order(4)
    void theEngineWithOneAclRemovedFailsNamingIt() throws Exception {
        AclBinding decisionsWrite = AclPlan.bindings(AclPlan.Role.ENGINE, "User:drill-engine", TOPICS).stream()
                .filter(b -> b.pattern().name().equals(TOPICS.decisions()) && b.entry().operation() == AclOperation.WRITE)
                .findFirst().orElseThrow();
        try (Admin admin = Admin.create(new HashMap<>(kafka.client("admin")))) {
            admin.deleteAcls(List.of(decisionsWrite.toFilter())).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.describeAcls(decisionsWrite.toFilter()).values()
                    .get(30, TimeUnit.SECONDS).isEmpty());
            CliRunnerAccess cli = new CliRunnerAccess();
            assertThat(cli.run("run", "--plan", plan.toString(), "--drill-id", DRILL + "-2", "--bootstrap-servers",
                    kafka.bootstrapServers(), "--kafka-config", config("drill-engine"), "--topic-prefix", PREFIX)).isEqualTo(2);
            assertThat(cli.err.toString()).contains("missing ACL Topic:" + TOPICS.decisions() + " Write",
                    "drill acl --principal-engine");
            cliOutput.append(cli.out.toString()).append(cli.err.toString());
        } finally {
            try (Admin admin = Admin.create(new HashMap<>(kafka.client("admin")))) {
                admin.createAcls(List.of(decisionsWrite)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Order(5)
    void theOtlpBridgeWorksUnderItsOwnPrincipalWithTheAclsDrillAclGaveIt() throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(kafka.client("admin")))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(OTLP_TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Path mapping = dir.resolve("otlp-mapping.json");
        Files.writeString(mapping, "{\"region\":{\"attribute\":\"server.address\",\"values\":{\"api.use1.example.com\":\"us-east\"}},"
                + "\"observer\":{\"resource\":\"service.instance.id\"}}");
        Process bridge = process("otlp", "probe", "--otlp", mapping.toString(), "--otlp-topic", OTLP_TOPIC, "--otlp-from-earliest",
                "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", config("drill-otlp"), "--topic-prefix", PREFIX);
        await().atMost(Duration.ofSeconds(60)).until(() -> log("otlp").contains("Ctrl-C stops") || !bridge.isAlive());
        assertThat(bridge.isAlive()).as(log("otlp")).isTrue();
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        String record = ("{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.instance.id\",\"value\":"
                + "{\"stringValue\":\"checkout-1\"}}]},\"scopeMetrics\":[{\"metrics\":[{\"name\":\"http.client.request.duration\","
                + "\"unit\":\"s\",\"histogram\":{\"aggregationTemporality\":1,\"dataPoints\":[{\"timeUnixNano\":\"%d\",\"count\":\"5\","
                + "\"bucketCounts\":[\"0\",\"5\",\"0\"],\"explicitBounds\":[0.025,0.05],\"attributes\":[{\"key\":\"server.address\","
                + "\"value\":{\"stringValue\":\"api.use1.example.com\"}}]}]}}]}]}]}").formatted(nowNanos);
        Map<String, Object> collector = new HashMap<>(kafka.client("admin"));
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(collector, new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(OTLP_TOPIC, null, record.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> readAll("drill-analyst", TOPICS.telemetry()).stream()
                .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"observer\":\"checkout-1\"")));
        assertDenied("drill-otlp", TOPICS.cutoverCommands());
        assertDenied("drill-otlp", TOPICS.control());
    }

    @Test
    @Order(6)
    void noPasswordAppearsInAnyLineOfTheRun() throws IOException {
        StringBuilder all = new StringBuilder(cliOutput.toString());
        for (String name : List.of("sim", "probe", "engine", "otlp")) {
            all.append(log(name));
        }
        assertThat(all.toString()).as("the run's output").contains("sasl.jaas.config = [hidden]"); // the clients logged their config
        for (String secret : kafka.secrets()) {
            assertThat(all.toString()).doesNotContain(secret);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Runs a drill command in this JVM; its output is kept for the secrets check. */
    static int cli(String... args) {
        CliRunnerAccess cli = new CliRunnerAccess();
        int code = cli.run(args);
        cliOutput.append(cli.out.toString()).append(cli.err.toString());
        if (code != 0) {
            System.err.println("drill " + String.join(" ", args) + " → " + code + ": " + cli.err);
        }
        return code;
    }

    static final class CliRunnerAccess extends CliRunner {
    }

    static String config(String user) {
        return configs.get(user).toString();
    }

    /** Runs Kafka's {@code kafka-acls} ({@code org.apache.kafka.tools.AclCommand}) with {@code args}; it must succeed. */
    static void kafkaAcls(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.AclCommand"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        cliOutput.append(output);
        assertThat(p.exitValue()).as("kafka-acls " + String.join(" ", args) + "\n" + output).isZero();
        assertThat(output).contains("Adding ACLs for resource");
    }

    /** Starts {@code drill args…} as its own process, Kafka's client logging at INFO (so every config it logs is seen). */
    static Process process(String name, String... args) throws IOException {
        Path logConfig = dir.resolve("log4j2-info.properties");
        if (!Files.exists(logConfig)) {
            Files.writeString(logConfig, String.join("\n", "status = error", "appender.console.type = Console",
                    "appender.console.name = STDERR", "appender.console.target = SYSTEM_ERR", "appender.console.layout.type = PatternLayout",
                    "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level %logger{1.} - %msg%n", "rootLogger.level = info",
                    "rootLogger.appenderRef.stderr.ref = STDERR", "logger.djl.name = ai.djl", "logger.djl.level = error", ""));
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Dlog4j2.configurationFile=" + logConfig, "-cp", System.getProperty("java.class.path"), "io.failoverdrill.cli.DrillCli"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    static String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String user, String topic) {
        return io.failoverdrill.kafka.testkit.CommittedRecords.readToEnd(kafka.client(user), topic);
    }

    static void assertDenied(String user, String topic) {
        Map<String, Object> p = new HashMap<>(kafka.client(user));
        p.put("max.block.ms", 15_000);
        p.put("enable.idempotence", false); // an idempotent producer without any WRITE is refused at the cluster level first
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "x", "{}".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS))
                    .as(user + " writing " + topic)
                    .isInstanceOfSatisfying(ExecutionException.class, e -> assertThat(e.getCause()).isInstanceOf(TopicAuthorizationException.class));
        }
    }

    static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p;
            try (ServerSocket s = new ServerSocket(0)) {
                p = s.getLocalPort();
            }
            try (ServerSocket a = new ServerSocket(p); ServerSocket b = new ServerSocket(p + 1)) {
                return p;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no two consecutive free ports");
    }
}

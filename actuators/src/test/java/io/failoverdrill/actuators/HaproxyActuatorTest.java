package io.failoverdrill.actuators;

import com.sun.net.httpserver.HttpServer;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Reason;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.sign.KeySet;
import io.failoverdrill.schemas.sign.SigningKey;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HAProxy actuator against a real HAProxy (Debian's package) in front of two HTTP backends: signed commands from
 * a real broker change what HAProxy serves, acks carry the weights HAProxy reports, and HAProxy's own refusals come
 * back as rejections.
 */
class HaproxyActuatorTest {
    static final String CUTOVER = "haproxy-act.commands.cutover";
    static final String ACKS = "haproxy-act.acks";
    @TempDir
    static Path dir;
    static Process haproxy;
    static HttpServer east;
    static HttpServer west;
    static int frontend;

    @BeforeAll
    static void startHaproxyInFrontOfTwoRegions() throws Exception {
        east = backend("us-east");
        west = backend("eu-west");
        frontend = freePort();
        Files.writeString(dir.resolve("sticky.map"), "");
        Files.writeString(dir.resolve("writer.map"), "");
        Files.writeString(dir.resolve("haproxy.cfg"), String.join("\n",
                "global",
                "  stats socket " + dir.resolve("admin.sock") + " mode 600 level admin",
                "defaults",
                "  mode http",
                "  timeout connect 2s",
                "  timeout client 10s",
                "  timeout server 10s",
                "frontend fe",
                "  bind 127.0.0.1:" + frontend,
                "  http-request set-var(txn.sticky) str(region),map(" + dir.resolve("sticky.map") + ",none)",
                "  http-request set-var(txn.writer) str(writer),map(" + dir.resolve("writer.map") + ",none)",
                "  default_backend app",
                "backend app",
                "  balance roundrobin",
                "  server us-east-1 127.0.0.1:" + east.getAddress().getPort() + " weight 50",
                "  server eu-west-1 127.0.0.1:" + west.getAddress().getPort() + " weight 50",
                ""));
        String binary = io.failoverdrill.kafka.testkit.RealPrograms.find("haproxy", "/usr/sbin/haproxy", "/usr/bin/haproxy",
                "/usr/local/sbin/haproxy").toString();
        haproxy = new ProcessBuilder(binary, "-f", dir.resolve("haproxy.cfg").toString(), "-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("admin.sock")) || !haproxy.isAlive());
        assertThat(haproxy.isAlive()).as(Files.readString(dir.resolve("haproxy.log"))).isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor();
        }
        if (east != null) {
            east.stop(0);
            west.stop(0);
        }
    }

    @Test
    void signedCommandsMoveWhatHaproxyServesAndTheAcksSayWhatHaproxyReports() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        SharedKafka.createTopic(CUTOVER, 1);
        SharedKafka.createTopic(ACKS, 1);
        Path mapFile = dir.resolve("backend-map.json");
        Files.writeString(mapFile, "{\"backend\":\"app\",\"servers\":{\"us-east\":\"us-east-1\",\"eu-west\":\"eu-west-1\"},"
                + "\"stick_map\":\"" + dir.resolve("sticky.map") + "\",\"writer_map\":\"" + dir.resolve("writer.map") + "\"}");
        HaproxyRuntimeApi api = new HaproxyRuntimeApi(dir.resolve("admin.sock").toString());
        HaproxyActuator actuator = new HaproxyActuator(api, HaproxyActuator.BackendMap.load(mapFile));
        assertThat(served(20)).as("before: both regions serve").containsKeys("us-east", "eu-west");

        SigningKey engine = SigningKey.generate();
        KeySet keys = new KeySet(List.of(new KeySet.Entry(engine.kid(), engine.publicKey(), "active", Long.MAX_VALUE)));
        Command evacuate = command(1, new CommandBody.SetWeights(new TreeMap<>(Map.of("us-east", 0, "eu-west", 100))));
        Command stick = command(2, new CommandBody.Stick("eu-west", 15));
        Command promote = command(3, new CommandBody.PromoteWriter("eu-west"));
        Command freeze = command(4, new CommandBody.FreezeWrites(List.of("us-east"), "enqueue"));
        Command unknown = command(5, new CommandBody.SetWeights(new TreeMap<>(Map.of("ap-south", 100))));
        Command rebuild = command(6, new CommandBody.RebuildIndex("us-east", "abc")); // another actuator's
        try (ActuatorLoop loop = new ActuatorLoop(new ActuatorLoop.Wiring(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                List.of(CUTOVER), ACKS, "haproxy-act.actuator.haproxy", () -> keys), actuator, "haproxy-actuator", line -> { }).start();
             KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new StringSerializer(), new ByteArraySerializer())) {
            for (Command c : List.of(evacuate, stick, promote, freeze, unknown, rebuild)) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(CUTOVER, c.drillId(), Codec.encode(c));
                engine.headers(Codec.encode(c)).forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                p.send(r).get();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> acks(bootstrap).size() >= 5);
            Map<Long, AckEvent> bySeq = new TreeMap<>();
            for (AckEvent a : acks(bootstrap)) {
                bySeq.put(List.of(evacuate, stick, promote, freeze, unknown, rebuild).stream()
                        .filter(c -> c.commandId().equals(a.commandId())).findFirst().orElseThrow().seq(), a);
            }
            assertThat(bySeq).as("the rebuild is another actuator's: not acked here").containsOnlyKeys(1L, 2L, 3L, 4L, 5L);
            assertThat(bySeq.get(1L).status()).isEqualTo("applied");
            assertThat(bySeq.get(1L).detail().toString()).contains("observed_weights={eu-west=100, us-east=0}");
            assertThat(bySeq.get(5L).status()).isEqualTo("rejected");
            assertThat(bySeq.get(5L).detail().toString()).contains("unknown_region");
            List.of(2L, 3L, 4L).forEach(s -> assertThat(bySeq.get(s).status()).isEqualTo("applied"));
        }
        // what HAProxy itself says and does now
        assertThat(served(20)).as("after: only eu-west serves").containsOnlyKeys("eu-west");
        String state = api.send("show servers state app");
        assertThat(state).containsPattern("app \\d+ us-east-1 \\S+ \\d+ \\d+ 0 ").containsPattern("app \\d+ eu-west-1 \\S+ \\d+ \\d+ 100 ");
        assertThat(api.send("show map " + dir.resolve("sticky.map"))).contains("region eu-west");
        assertThat(api.send("show map " + dir.resolve("writer.map"))).contains("writer eu-west").contains("us-east frozen");
    }

    @Test
    void haproxysOwnRefusalIsTheRejection() throws Exception {
        Path mapFile = dir.resolve("wrong-map.json");
        Files.writeString(mapFile, "{\"backend\":\"app\",\"servers\":{\"us-east\":\"no-such-server\"}}");
        HaproxyActuator actuator = new HaproxyActuator(new HaproxyRuntimeApi(dir.resolve("admin.sock").toString()),
                HaproxyActuator.BackendMap.load(mapFile));
        Command c = command(9, new CommandBody.SetWeights(new TreeMap<>(Map.of("us-east", 100))));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> actuator.apply(c))
                .isInstanceOfSatisfying(ActuatorException.class, e -> {
                    assertThat(e.reason()).isEqualTo("haproxy");
                    assertThat(String.valueOf(e.detail())).containsIgnoringCase("no such server");
                });
    }

    /** Region → how many of {@code n} requests through HAProxy's frontend it answered. */
    static Map<String, Integer> served(int n) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Integer> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontend + "/api")).build(),
                    HttpResponse.BodyHandlers.ofString());
            out.merge(r.body(), 1, Integer::sum);
        }
        return out;
    }

    static HttpServer backend(String region) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", e -> {
            byte[] b = region.getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(200, b.length);
            e.getResponseBody().write(b);
            e.close();
        });
        s.start();
        return s;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Command command(long seq, CommandBody body) {
        return Command.of("haproxy-drill", seq, 1_795_946_400_000L + seq * 1000, new Reason("test", new TreeMap<>()), body);
    }

    static List<AckEvent> acks(String bootstrap) {
        List<AckEvent> out = new ArrayList<>();
        CommittedRecords.readToEnd(bootstrap, ACKS).forEach(r -> out.add((AckEvent) Codec.decodeInput(r.value())));
        return out;
    }
}

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
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP actuator against a real HTTP server on a real broker: each verified command is POSTed once, as the bytes
 * the engine signed, with its idempotency key and HMAC; the server's answer decides the ack (2xx applied, 4xx
 * rejected with the body, 5xx retried then rejected); unsigned commands never reach the server; a redelivery posts
 * nothing and is acked as the first delivery was (a rejected command is never acked applied later).
 */
class HttpActuatorTest {
    static final String CUTOVER = "http-act.commands.cutover";
    static final String ACKS = "http-act.acks";

    record Received(String type, String idempotencyKey, String signature, String auth, byte[] body) {
    }

    @Test
    void verifiedCommandsArePostedOnceAndTheServersAnswerDecidesTheAck() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        SharedKafka.createTopic(CUTOVER, 1);
        SharedKafka.createTopic(ACKS, 1);
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicInteger promoteCalls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/drill", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String type = exchange.getRequestHeaders().getFirst("X-Drill-Command");
            received.add(new Received(type, exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("X-Drill-Signature"), exchange.getRequestHeaders().getFirst("Authorization"), body));
            int status = switch (type) {
                case "set_weights" -> 200;
                case "stick" -> 422;
                case "promote_writer" -> promoteCalls.incrementAndGet() <= 2 ? 503 : 201;
                default -> 503;
            };
            byte[] answer = (status == 422 ? "{\"error\":\"no pool eu-west\"}" : status < 300 ? "{\"ok\":true}" : "busy")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        SigningKey engine = SigningKey.generate();
        KeySet keys = new KeySet(List.of(new KeySet.Entry(engine.kid(), engine.publicKey(), "active", Long.MAX_VALUE)));
        byte[] hmacKey = "shared-secret-of-the-test".getBytes(StandardCharsets.UTF_8);
        HttpActuator http = new HttpActuator(new HttpActuator.Settings(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/drill"),
                Map.of("Authorization", "Bearer token-of-the-test"), hmacKey, Duration.ofSeconds(5), 3, Duration.ofMillis(50)));
        try (ActuatorLoop loop = new ActuatorLoop(new ActuatorLoop.Wiring(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                List.of(CUTOVER), ACKS, "http-act.actuator.http", () -> keys), http, "http-actuator", line -> { }).start();
             KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new StringSerializer(), new ByteArraySerializer())) {
            Command weights = command(1, new CommandBody.SetWeights(new TreeMap<>(Map.of("us-east", 0, "eu-west", 100))));
            Command stick = command(2, new CommandBody.Stick("eu-west", 15));
            Command promote = command(3, new CommandBody.PromoteWriter("eu-west"));
            Command clamp = command(4, new CommandBody.Clamp("us-east", 8, null));
            Command unsigned = command(5, new CommandBody.ReleaseClamp("us-east"));
            for (Command c : List.of(weights, stick, promote, clamp)) {
                send(p, c, engine.headers(Codec.encode(c)));
            }
            send(p, unsigned, Map.of());
            send(p, weights, engine.headers(Codec.encode(weights))); // redelivered: acked, not posted again
            send(p, clamp, engine.headers(Codec.encode(clamp))); // redelivered after its rejection: rejected again
            await().atMost(Duration.ofSeconds(30)).until(() -> acks(bootstrap).size() >= 7);

            Map<Long, String> outcome = new TreeMap<>();
            for (AckEvent a : acks(bootstrap)) {
                long seq = List.of(weights, stick, promote, clamp, unsigned).stream()
                        .filter(c -> c.commandId().equals(a.commandId())).findFirst().orElseThrow().seq();
                String what = a.status().equals("applied") ? "applied" : String.valueOf(((Map<?, ?>) a.detail()).get("reason"));
                outcome.merge(seq, what, (x, y) -> x + "," + y);
            }
            assertThat(outcome).containsExactlyInAnyOrderEntriesOf(Map.of(1L, "applied,applied", 2L, "http_4xx",
                    3L, "applied", 4L, "http_5xx,http_5xx", 5L, "unsigned"));
            AckEvent stickAck = acks(bootstrap).stream().filter(a -> a.commandId().equals(stick.commandId())).findFirst().orElseThrow();
            assertThat(stickAck.detail().toString()).contains("no pool eu-west").contains("422");

            assertThat(received).extracting(Received::type).as("posts: weights once, promote 3 attempts, clamp 3 attempts")
                    .containsExactly("set_weights", "stick", "promote_writer", "promote_writer", "promote_writer",
                            "clamp", "clamp", "clamp");
            for (Received r : received) {
                Command c = List.of(weights, stick, promote, clamp).stream().filter(x -> x.type().equals(r.type())).findFirst().orElseThrow();
                assertThat(r.body()).isEqualTo(Codec.encode(c));
                assertThat(r.idempotencyKey()).isEqualTo(c.commandId());
                assertThat(r.signature()).isEqualTo("sha256=" + HttpActuator.hmac(hmacKey, r.body()));
                assertThat(r.auth()).isEqualTo("Bearer token-of-the-test");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anAckTheBrokerRefusesStopsTheLoopAndCommitsNothing() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String cutover = "http-act-fail.commands.cutover";
        SharedKafka.createTopic(cutover, 1);
        AtomicInteger posts = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/drill", exchange -> {
            exchange.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        SigningKey engine = SigningKey.generate();
        KeySet keys = new KeySet(List.of(new KeySet.Entry(engine.kid(), engine.publicKey(), "active", Long.MAX_VALUE)));
        HttpActuator http = new HttpActuator(new HttpActuator.Settings(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/drill"),
                Map.of(), null, Duration.ofSeconds(5), 1, Duration.ofMillis(50)));
        List<String> said = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
        String group = "http-act-fail.actuator.http";
        // acks to a topic the broker refuses (an illegal name): the command is applied, its ack cannot be written
        try (ActuatorLoop loop = new ActuatorLoop(new ActuatorLoop.Wiring(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                List.of(cutover), "no such topic!", group, () -> keys), http, "http-actuator", said::add).onFailure(failed::countDown).start();
             KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new StringSerializer(), new ByteArraySerializer())) {
            Command weights = command(1, new CommandBody.SetWeights(new TreeMap<>(Map.of("us-east", 0, "eu-west", 100))));
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(cutover, weights.drillId(), Codec.encode(weights));
            engine.headers(Codec.encode(weights)).forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            p.send(r).get();
            assertThat(failed.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the loop reported its failure").isTrue();
            assertThat(posts.get()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
        assertThat(said).anySatisfy(l -> assertThat(l).startsWith("actuator stopped, nothing committed past what was acked: "));
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the command whose ack was lost is read again by the next actuator").isEmpty();
        }
    }

    static Command command(long seq, CommandBody body) {
        return Command.of("http-drill", seq, 1_795_946_400_000L + seq * 1000, new Reason("test", new TreeMap<>()), body);
    }

    static void send(KafkaProducer<String, byte[]> p, Command c, Map<String, String> headers) throws Exception {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(CUTOVER, c.drillId(), Codec.encode(c));
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        p.send(r).get();
    }

    static List<AckEvent> acks(String bootstrap) {
        return CommittedRecords.readToEnd(bootstrap, ACKS).stream().map(r -> (AckEvent) Codec.decodeInput(r.value())).toList();
    }
}

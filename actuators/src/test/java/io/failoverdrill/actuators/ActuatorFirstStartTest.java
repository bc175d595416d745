package io.failoverdrill.actuators;

import com.sun.net.httpserver.HttpServer;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.event.AckEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where an actuator group that never committed starts: with a look-back, a new actuator applies the commands of the
 * last minutes (a drill under way) and not the week of drills the topic still holds — which, applied in turn, would
 * swing a real load balancer through every weight of the past; restarted, the group resumes where it committed. With
 * {@code earliest} every retained command is applied. A real broker and a real HTTP server.
 */
class ActuatorFirstStartTest {
    static final String CUTOVER = "first-start.commands.cutover";
    static final String ACKS = "first-start.acks";
    static final long HOUR = 3_600_000L;
    static HttpServer server;
    /** The command ids POSTed, by the observer (actuator) that posted them. */
    static final List<String> posted = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void target() throws Exception {
        SharedKafka.createTopic(CUTOVER, 1);
        SharedKafka.createTopic(ACKS, 1);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            posted.add(exchange.getRequestURI().getPath().substring(1) + " " + exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void aNewGroupAppliesOnlyTheLookBackAndARestartResumesWhereItCommitted() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        long now = System.currentTimeMillis();
        Command sixDaysAgo = command(1, "us-east");
        Command yesterday = command(2, "eu-west");
        Command aMinuteAgo = command(3, "us-east");
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            send(p, sixDaysAgo, now - 6 * 24 * HOUR); // within the topic's 7 days
            send(p, yesterday, now - 24 * HOUR);
            send(p, aMinuteAgo, now - 60_000);
        }

        try (ActuatorLoop loop = loop(bootstrap, "new", "by_duration:PT15M")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ackedBy("new").size() >= 1);
            Command live = command(4, "eu-west");
            try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
                send(p, live, System.currentTimeMillis());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ackedBy("new").size() >= 2);
        }
        assertThat(postedBy("new")).as("the last 15 minutes only").containsExactly(aMinuteAgo.commandId(), command(4, "eu-west").commandId());

        Command afterRestart = command(5, "us-east");
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            send(p, afterRestart, System.currentTimeMillis());
        }
        try (ActuatorLoop loop = loop(bootstrap, "new", "by_duration:PT15M")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ackedBy("new").size() >= 3);
        }
        assertThat(postedBy("new")).as("restarted: on from where the group committed, nothing again")
                .containsExactly(aMinuteAgo.commandId(), command(4, "eu-west").commandId(), afterRestart.commandId());

        try (ActuatorLoop loop = loop(bootstrap, "everything", "earliest")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ackedBy("everything").size() >= 5);
        }
        assertThat(postedBy("everything")).as("earliest: every retained command, in turn").containsExactly(sixDaysAgo.commandId(),
                yesterday.commandId(), aMinuteAgo.commandId(), command(4, "eu-west").commandId(), afterRestart.commandId());
    }

    /** An HTTP actuator named {@code name} (its own group, its own path on the server), reading from {@code firstStart}. */
    private static ActuatorLoop loop(String bootstrap, String name, String firstStart) {
        HttpActuator http = new HttpActuator(new HttpActuator.Settings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/" + name), Map.of(), null, Duration.ofSeconds(5), 1, Duration.ofMillis(50)));
        return new ActuatorLoop(new ActuatorLoop.Wiring(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), List.of(CUTOVER),
                ACKS, "first-start.actuator." + name, null, firstStart), http, name, line -> { }).start();
    }

    private static List<String> postedBy(String name) {
        return posted.stream().filter(p -> p.startsWith(name + " ")).map(p -> p.substring(name.length() + 1)).toList();
    }

    private static List<AckEvent> ackedBy(String name) {
        return CommittedRecords.readToEnd(SharedKafka.bootstrapServers(), ACKS).stream()
                .map(r -> (AckEvent) Codec.decodeInput(r.value())).filter(a -> a.observer().equals(name)).toList();
    }

    static Command command(long seq, String region) {
        return Command.of("first-start-drill", seq, 1_795_946_400_000L + seq * 1000,
                new io.failoverdrill.schemas.decision.Reason("test", new TreeMap<>()),
                new CommandBody.SetWeights(new TreeMap<>(Map.of(region, 100))));
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends {@code c} stamped {@code timestampMs} (the record's own time, as Kafka keeps it). */
    private static void send(KafkaProducer<String, byte[]> p, Command c, long timestampMs) throws Exception {
        p.send(new ProducerRecord<>(CUTOVER, 0, timestampMs, c.drillId(), Codec.encode(c))).get();
    }
}

package io.failoverdrill.sim;

import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Reason;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.sign.KeySet;
import io.failoverdrill.schemas.sign.WatchedFile;
import io.failoverdrill.schemas.sign.SigningKey;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The actuator's side of signed commands, through a real broker: only commands signed by an active key of its key
 * set are applied; unsigned, forged, unknown-key, retired-key and replayed ones are acked {@code rejected} with the
 * reason — and a rotation (two active keys, then the old one retired in the file it reloads) rejects nothing it
 * should accept.
 */
class SignedCommandsTest {
    static final String PREFIX = "signed.";
    static final String CUTOVER = PREFIX + "commands.cutover";
    static final String ACKS = PREFIX + "acks";

    @TempDir
    Path dir;

    static Command command(long seq, Map<String, Integer> weights) {
        CommandBody body = new CommandBody.SetWeights(new TreeMap<>(weights));
        return Command.of("signed-drill", seq, 1_795_946_400_000L + seq * 1000, new Reason("test", new TreeMap<>()), body);
    }

    @Test
    void onlyCommandsSignedByAnActiveKeyAreAppliedAndEveryOtherIsRejectedWithItsReason() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        SharedKafka.createTopic(CUTOVER, 1);
        SharedKafka.createTopic(ACKS, 1);
        SigningKey k1 = SigningKey.generate();
        SigningKey k2 = SigningKey.generate();
        SigningKey stranger = SigningKey.generate();
        Path keysFile = dir.resolve("keys.json");
        new KeySet(List.of(active(k1))).save(keysFile);
        var artifact = RetrievalIndexes.standard(0);
        try (SimRegion east = new SimRegion(new RegionProfile("us-east", 5, 0.1, 0, 0, 1), artifact);
             SimRegion west = new SimRegion(new RegionProfile("eu-west", 5, 0.1, 0, 0, 2), artifact)) {
            Map<String, SimRegion> regions = Map.of("us-east", east, "eu-west", west);
            WeightedRouter router = new WeightedRouter(regions, Map.of("us-east", 50, "eu-west", 50), 1, 1, 1);
            WatchedFile<KeySet> keys = WatchedFile.keySet(keysFile, line -> { });
            try (SimActuator actuator = new SimActuator(new SimActuator.Wiring(SimKafka.plaintext(bootstrap), List.of(CUTOVER), ACKS,
                    PREFIX + "actuator", keys), regions, router, null, Map.of(), "actuator-1", line -> { });
                 KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                         new StringSerializer(), new ByteArraySerializer())) {
                actuator.start();
                Command good = command(1, Map.of("us-east", 0, "eu-west", 100));
                send(p, good, k1.headers(Codec.encode(good)));
                Command unsigned = command(2, Map.of("us-east", 100, "eu-west", 0));
                send(p, unsigned, Map.of());
                Command unknown = command(3, Map.of("us-east", 100, "eu-west", 0));
                send(p, unknown, stranger.headers(Codec.encode(unknown)));
                Command forged = command(4, Map.of("us-east", 100, "eu-west", 0));
                send(p, forged, Map.of(SigningKey.KID_HEADER, k1.kid(),
                        SigningKey.SIG_HEADER, stranger.headers(Codec.encode(forged)).get(SigningKey.SIG_HEADER)));
                // the applied command's id again, with other bytes (another reason), signed by the trusted key
                Command replayed = new Command(good.commandId(), good.drillId(), good.seq(), good.tsMs() + 5,
                        new Reason("replay", new TreeMap<>()), good.body());
                send(p, replayed, k1.headers(Codec.encode(replayed)));
                send(p, good, k1.headers(Codec.encode(good))); // the same bytes again: a redelivery, acked applied

                // rotation: k2 joins (dual accept), k1 still signs; then k1 is retired
                new KeySet(List.of(active(k1), active(k2))).save(keysFile);
                Command byK2 = command(6, Map.of("us-east", 10, "eu-west", 90));
                send(p, byK2, k2.headers(Codec.encode(byK2)));
                Command byK1 = command(7, Map.of("us-east", 20, "eu-west", 80));
                send(p, byK1, k1.headers(Codec.encode(byK1)));
                await().atMost(Duration.ofSeconds(30)).until(() -> acks(bootstrap).size() >= 8);
                new KeySet(List.of(new KeySet.Entry(k1.kid(), k1.publicKey(), "retired", Long.MAX_VALUE), active(k2))).save(keysFile);
                Command afterRetire = command(8, Map.of("us-east", 30, "eu-west", 70));
                send(p, afterRetire, k1.headers(Codec.encode(afterRetire)));
                Command newKey = command(9, Map.of("us-east", 40, "eu-west", 60));
                send(p, newKey, k2.headers(Codec.encode(newKey)));
                await().atMost(Duration.ofSeconds(30)).until(() -> acks(bootstrap).size() >= 10);

                Map<Long, String> byCommand = new TreeMap<>();
                for (AckEvent a : acks(bootstrap)) {
                    long seq = List.of(good, unsigned, unknown, forged, byK2, byK1, afterRetire, newKey).stream()
                            .filter(c -> c.commandId().equals(a.commandId())).findFirst().orElseThrow().seq();
                    String what = a.status().equals("applied") ? "applied"
                            : String.valueOf(((Map<?, ?>) a.detail()).get("reason"));
                    byCommand.merge(seq, what, (x, y) -> x + "," + y);
                }
                assertThat(byCommand).containsExactlyInAnyOrderEntriesOf(Map.of(
                        1L, "applied,replayed,applied", 2L, "unsigned", 3L, "unknown_key", 4L, "bad_signature",
                        6L, "applied", 7L, "applied", 8L, "retired_key", 9L, "applied"));
                assertThat(router.weights()).as("only what was applied moved traffic")
                        .isEqualTo(Map.of("us-east", 40, "eu-west", 60));
            }
        }
    }

    @Test
    void aRestartedActuatorDoesNotApplyAgainWhatItAppliedBefore() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String cutover = PREFIX + "restart.commands.cutover";
        String acks = PREFIX + "restart.acks";
        SharedKafka.createTopic(cutover, 1);
        SharedKafka.createTopic(acks, 1);
        SigningKey k1 = SigningKey.generate();
        Path keysFile = dir.resolve("restart-keys.json");
        new KeySet(List.of(active(k1))).save(keysFile);
        var artifact = RetrievalIndexes.standard(0);
        Command evacuate = command(1, Map.of("us-east", 0, "eu-west", 100));
        Command back = command(2, Map.of("us-east", 50, "eu-west", 50));
        try (SimRegion east = new SimRegion(new RegionProfile("us-east", 5, 0.1, 0, 0, 1), artifact);
             SimRegion west = new SimRegion(new RegionProfile("eu-west", 5, 0.1, 0, 0, 2), artifact);
             KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new StringSerializer(), new ByteArraySerializer())) {
            Map<String, SimRegion> regions = Map.of("us-east", east, "eu-west", west);
            WeightedRouter router = new WeightedRouter(regions, Map.of("us-east", 50, "eu-west", 50), 1, 1, 1);
            SimActuator.Wiring wiring = new SimActuator.Wiring(SimKafka.plaintext(bootstrap), List.of(cutover), acks,
                    PREFIX + "actuator.restart", WatchedFile.keySet(keysFile, line -> { }));
            try (SimActuator first = new SimActuator(wiring, regions, router, null, Map.of(), "actuator-1", line -> { })) {
                first.start();
                send(p, cutover, evacuate, k1.headers(Codec.encode(evacuate)));
                send(p, cutover, back, k1.headers(Codec.encode(back)));
                await().atMost(Duration.ofSeconds(30)).until(() -> acks(bootstrap, acks).size() >= 2);
            }
            assertThat(router.weights()).isEqualTo(Map.of("us-east", 50, "eu-west", 50));

            List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (SimActuator second = new SimActuator(wiring, regions, router, null, Map.of(), "actuator-1", lines::add)) {
                second.start();
                // the evacuation's record produced anew, signature and all (a replay by someone who can write the
                // topic), then the same id with other bytes
                send(p, cutover, evacuate, k1.headers(Codec.encode(evacuate)));
                Command altered = new Command(evacuate.commandId(), evacuate.drillId(), evacuate.seq(), evacuate.tsMs() + 5,
                        new Reason("replay", new TreeMap<>()), evacuate.body());
                send(p, cutover, altered, k1.headers(Codec.encode(altered)));
                await().atMost(Duration.ofSeconds(30)).until(() -> acks(bootstrap, acks).size() >= 4);
            }
            assertThat(router.weights()).as("the evacuation was not applied again").isEqualTo(Map.of("us-east", 50, "eu-west", 50));
            List<AckEvent> after = acks(bootstrap, acks).subList(2, 4);
            assertThat(after.get(0).status()).as("a redelivery is acked applied, as the first time").isEqualTo("applied");
            assertThat(after.get(0).eventId()).isEqualTo("ack-" + evacuate.commandId());
            assertThat(after.get(1).status()).isEqualTo("rejected");
            assertThat(((Map<?, ?>) after.get(1).detail()).get("reason")).isEqualTo("replayed");
            assertThat(lines).anyMatch(l -> l.contains("2 command(s) handled before this start remembered"));
        }
    }

    static KeySet.Entry active(SigningKey k) {
        return new KeySet.Entry(k.kid(), k.publicKey(), "active", Long.MAX_VALUE);
    }

    static void send(KafkaProducer<String, byte[]> p, Command c, Map<String, String> headers) throws Exception {
        send(p, CUTOVER, c, headers);
    }

    static void send(KafkaProducer<String, byte[]> p, String topic, Command c, Map<String, String> headers) throws Exception {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, c.drillId(), Codec.encode(c));
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        p.send(r).get();
    }

    static List<AckEvent> acks(String bootstrap) {
        return acks(bootstrap, ACKS);
    }

    static List<AckEvent> acks(String bootstrap, String topic) {
        return CommittedRecords.readToEnd(bootstrap, topic).stream().map(r -> Codec.decodeInput(r.value()))
                .map(e -> (AckEvent) e).toList();
    }
}

package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.replay.TopicReplay;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.InputAuthorizer;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.sign.KeySet;
import io.failoverdrill.schemas.sign.SigningKey;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signed control events and stops on a real broker: a start from a key the plan does not list, an unsigned start
 * and an unsigned stop go to the DLQ with the reason while the drill goes on; the listed signer's start and a
 * signed stop act; a clearing replayed from an earlier stop is refused. Replay then needs no key at all.
 */
class AuthorizedInputOnKafkaTest {
    static final Path DRILL = Path.of("src", "test", "resources", "drills", "brownout");

    @Test
    void onlyTheListedSignerStartsTheDrillOnlyASignedStopStopsItAndReplayNeedsNoKey() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        SigningKey operator = SigningKey.generate();
        SigningKey other = SigningKey.generate();
        KeySet keys = new KeySet(List.of(active(operator), active(other)));
        String json = Files.readString(DRILL.resolve("plan.json"));
        DrillPlan plan = Codec.decodePlan(json.replaceFirst("\\{", "{\"control\":{\"signers\":[\"" + operator.kid() + "\"]},")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(plan.signers()).containsExactly(operator.kid());
        List<String> events = Files.readAllLines(DRILL.resolve("events.jsonl"));
        int startLine = EmergencyStopOnKafkaTest.firstLineOf(events, "\"action\":\"start\"");
        String start = events.get(startLine);
        int firstAck = EmergencyStopOnKafkaTest.firstLineOf(events, "\"type\":\"ack\"") + 2;

        Topics t = new Topics("auth1.");
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        List<Decision> out = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }));
        Disposable engine = new DrillRuntime(new DrillCore(plan), log, null)
                .authorizeWith(new InputAuthorizer(() -> keys, plan.signers(), System::currentTimeMillis))
                .run().subscribe(out::add);
        try (KafkaProducer<String, byte[]> p = KafkaEngineDlqTest.producer(bootstrap)) {
            byte[] unsignedStart = with(start, "u-");
            p.send(new ProducerRecord<>(t.control(), 0, plan.drillId(), unsignedStart)).get();
            byte[] otherStart = with(start, "o-");
            send(p, t.control(), otherStart, other.headers(otherStart));
            byte[] goodStart = with(start, "g-");
            send(p, t.control(), goodStart, operator.headers(goodStart));
            // the drill's telemetry and acks, paced as live input arrives (its fault announcement left out: unsigned, it
            // would be refused too)
            paced(p, t.telemetry(), events.subList(0, firstAck).stream().filter(l -> !l.contains("\"type\":\"control\"")).toList());
            await().atMost(Duration.ofSeconds(60)).until(() -> EmergencyStopOnKafkaTest.committed(t, t.control(), plan.drillId()) == 3);
            await().atMost(Duration.ofSeconds(60)).until(() -> out.stream().anyMatch(d -> d instanceof io.failoverdrill.schemas.decision.Command));

            // a stop nobody signed changes nothing; a signed one stops the drill
            byte[] unsignedStop = EmergencyStopOnKafkaTest.stop("all").getBytes(StandardCharsets.UTF_8);
            p.send(new ProducerRecord<>(t.stop(), 0, "all", unsignedStop)).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> KafkaEngineDlqTest.readAll(bootstrap, t.dlq(), 3).size() >= 3);
            assertThat(out).noneMatch(d -> d instanceof PhaseChange pc && pc.to() == Phase.STOPPED);
            byte[] signedStop = EmergencyStopOnKafkaTest.stop("all").replace("stop-all", "stop-all-2").getBytes(StandardCharsets.UTF_8);
            send(p, t.stop(), signedStop, operator.headers(signedStop), "all");
            await().atMost(Duration.ofSeconds(30)).until(() -> out.stream().anyMatch(d -> d instanceof PhaseChange pc && pc.to() == Phase.STOPPED));
            // a clearing naming another stop (an old one, replayed) is refused
            ProducerRecord<String, byte[]> oldClear = new ProducerRecord<>(t.stop(), 0, "all", null);
            oldClear.headers().add(SigningKey.CLEARS_HEADER, "stop-all".getBytes(StandardCharsets.UTF_8));
            operator.headers(SigningKey.clearingBytes("all", "stop-all"))
                    .forEach((k, v) -> oldClear.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            p.send(oldClear).get();
            List<ConsumerRecord<String, byte[]>> dead = KafkaEngineDlqTest.readAll(bootstrap, t.dlq(), 4);
            assertThat(dead).extracting(r -> EdgesOnKafkaTest.header(r, DrillRuntime.H_REASON)).containsExactly(
                    "$: control event 'start' not accepted: unsigned (no drill-kid header)",
                    "$: control event 'start' not accepted: signed by " + other.kid() + ", not one of the plan's control.signers ["
                            + operator.kid() + "]",
                    "$: stop not accepted: unsigned (no drill-kid header)",
                    "$: clearing of stop 'all' not accepted: it lifts stop stop-all, but the stop in force is stop-all-2");
        } finally {
            engine.dispose();
            log.close();
        }
        assertThat(out).filteredOn(d -> d instanceof PhaseChange pc && pc.to() == Phase.PRECHECK).hasSize(1);

        ByteArrayOutputStream replayed = new ByteArrayOutputStream(); // no key set, no signers: the journal decides
        TopicReplay.run(plan, bootstrap, t, Long.MIN_VALUE, Long.MAX_VALUE, replayed);
        assertThat(replayed.toString(StandardCharsets.UTF_8))
                .isEqualTo(String.join("\n", CommittedRecords.values(bootstrap, t.decisions())) + "\n");
    }

    static KeySet.Entry active(SigningKey k) {
        return new KeySet.Entry(k.kid(), k.publicKey(), "active", Long.MAX_VALUE);
    }

    static byte[] with(String line, String idPrefix) {
        return line.replace("\"event_id\":\"", "\"event_id\":\"" + idPrefix).getBytes(StandardCharsets.UTF_8);
    }

    static void send(KafkaProducer<String, byte[]> p, String topic, List<String> lines, Map<String, String> headers) {
        lines.forEach(l -> p.send(new ProducerRecord<>(topic, 0, "k", l.getBytes(StandardCharsets.UTF_8))));
        p.flush();
    }

    /** Sends {@code lines} in chunks of 40, 100 ms apart, as live telemetry arrives (pacing the source, not waiting). */
    static void paced(KafkaProducer<String, byte[]> p, String topic, List<String> lines) throws InterruptedException {
        for (int i = 0; i < lines.size(); i += 40) {
            send(p, topic, lines.subList(i, Math.min(lines.size(), i + 40)), null);
            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    static void send(KafkaProducer<String, byte[]> p, String topic, byte[] value, Map<String, String> headers) throws Exception {
        send(p, topic, value, headers, "k");
    }

    static void send(KafkaProducer<String, byte[]> p, String topic, byte[] value, Map<String, String> headers, String key) throws Exception {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, 0, key, value);
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        p.send(r).get();
    }
}

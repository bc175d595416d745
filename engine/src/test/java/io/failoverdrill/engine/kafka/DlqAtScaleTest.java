package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 10,000 random malformed, wrong-typed, oversized and unknown-type records mixed into the committed brownout
 * stream: every one reaches the DLQ with its source topic/partition/offset and a reason, and the decisions equal
 * those of the clean stream (the golden log).
 */
class DlqAtScaleTest {
    static final Path DRILL = Path.of("src", "test", "resources", "drills", "brownout");

    static byte[] garbage(SplittableRandom r, int i) {
        if (i % 400 == 0) { // a few dozen oversized records (each > 256 KiB)
            return ("[" + "1,".repeat(140_000) + "1]").getBytes(StandardCharsets.ISO_8859_1);
        }
        String s = switch (r.nextInt(5)) {
            case 0 -> "{\"type\":\"request\",\"event_id\":\"g" + i;                                  // truncated
            case 1 -> "{\"type\":\"request\",\"event_id\":\"g" + i + "\",\"region\":\"us-east\",\"observer\":\"o\","
                    + "\"ts\":\"2026-11-29T10:00:00.000Z\",\"latency_ms\":\"fast\",\"status\":200,\"error\":null}"; // wrong type
            case 2 -> "{\"type\":\"tracing_span\",\"event_id\":\"g" + i + "\"}";                       // unknown type
            case 3 -> "{\"type\":\"health\",\"event_id\":\"g" + i + "\",\"region\":\"US EAST\",\"observer\":\"o\","
                    + "\"ts\":\"2026-11-29T10:00:00.000Z\",\"ready\":true}";                           // bad region
            default -> new String(new byte[]{(byte) 0xff, (byte) 0xfe, 0x00, 0x41}, StandardCharsets.ISO_8859_1); // not UTF-8 JSON
        };
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void tenThousandBadRecordsAllReachTheDlqAndChangeNoDecision() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics t = new Topics("dlqscale.", true);
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        DrillPlan plan = Codec.decodePlan(Files.readAllBytes(DRILL.resolve("plan.json")));
        List<String> events = Files.readAllLines(DRILL.resolve("events.jsonl"));
        List<String> golden = Files.readAllLines(DRILL.resolve("decisions.jsonl"));
        int bad = 10_000;
        SplittableRandom r = new SplittableRandom(20261129);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(java.util.Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000,
                org.apache.kafka.clients.producer.ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 5),
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            int good = 0;
            for (int i = 0; i < events.size() + bad; i++) {
                boolean sendBad = good >= events.size() || (i - good < bad && r.nextInt(events.size() + bad) < bad);
                byte[] value = sendBad ? garbage(r, i) : events.get(good++).getBytes(StandardCharsets.UTF_8);
                p.send(new ProducerRecord<>(t.telemetry(), 0, "k", value));
            }
            p.flush();
        }
        List<String> decisions = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        Disposable engine = new DrillRuntime(new DrillCore(plan), new KafkaEventLog(bootstrap, t, plan.drillId(),
                new KafkaEventLog.Options(2000, meters, (b, s) -> { })), meters)
                .run().subscribe(d -> decisions.add(Codec.encodeToString(d)), errors::add);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> !errors.isEmpty() || (decisions.size() >= golden.size()
                    && meters.find("drill.records.dlq").counters().stream().mapToDouble(c -> c.count()).sum() >= bad));
            assertThat(errors).isEmpty();
            assertThat(decisions).containsExactlyElementsOf(golden);
            // the counter moves when a record is handled; the DLQ record is visible once its transaction commits
            await().atMost(Duration.ofSeconds(60)).until(() -> KafkaEngineDlqTest.readToEnd(bootstrap, t.dlq()).size() >= bad);
            List<ConsumerRecord<String, byte[]>> dead = KafkaEngineDlqTest.readToEnd(bootstrap, t.dlq());
            assertThat(dead).hasSize(bad);
            Set<String> sources = new HashSet<>();
            for (ConsumerRecord<String, byte[]> d : dead) {
                assertThat(d.headers().lastHeader(DrillRuntime.H_REASON)).isNotNull();
                sources.add(new String(d.headers().lastHeader(DrillRuntime.H_SOURCE).value(), StandardCharsets.UTF_8));
            }
            assertThat(sources).hasSize(bad).allSatisfy(s -> assertThat(s).startsWith(t.telemetry() + "/0@"));
        } finally {
            engine.dispose();
        }
    }
}

package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.core.Worlds;
import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.InputEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bad records among good ones, through a real broker: each bad one reaches the DLQ with its reason; every good one is used. */
class KafkaEngineDlqTest {

    @Test
    void malformedAndInvalidRecordsGoToTheDlqAndTheLoopGoesOn() {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("dlqtest.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);

        DrillPlan plan = Worlds.plan(DrillType.BROWNOUT).withDrillId("d-test");
        SyntheticWorld world = SyntheticWorld.openLoop(plan, SyntheticWorld.Setup.of(11));
        List<InputEvent> good = new ArrayList<>();
        for (List<InputEvent> batch = world.nextEvents(100); batch.get(0).tsMs() < SyntheticWorld.T0 + 20_000; batch = world.nextEvents(100)) {
            good.addAll(batch);
        }
        InputEvent start = new ControlEvent("ctl-start", SyntheticWorld.T0 + 300, "d-test", "start", null);
        Map<String, String> bad = Map.of(
                "{\"type\":\"request\",", "$",
                "{\"type\":\"request\",\"event_id\":\"x1\",\"region\":\"us-east\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00.000Z\",\"latency_ms\":-5,\"status\":200,\"error\":null}", "$.latency_ms",
                "{\"type\":\"tracing\",\"event_id\":\"x2\"}", "$.type");
        DrillCore core = new DrillCore(plan);
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, "d-test", new KafkaEventLog.Options(2000, meters, (b, s) -> { }));
        List<Decision> decisions = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Disposable running = new DrillRuntime(core, log, meters).run().subscribe(decisions::add, failures::add);
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            // the drill starts first: once telemetry stops, nothing advances event time any more
            producer.send(new ProducerRecord<>(topics.control(), "d-test", Codec.encode(start)));
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> core.counts().received() == 1);
            int i = 0;
            for (InputEvent e : good) {
                String topic = e.type().equals("control") ? topics.control() : topics.telemetry();
                String key = e instanceof io.failoverdrill.schemas.event.TelemetryEvent t ? t.region() : "d-test";
                // one partition: a pre-filled multi-partition topic is read partition by partition, which skews event time
                producer.send(new ProducerRecord<>(topic, 0, key, Codec.encode(e)));
                if (++i % 500 == 0) {
                    for (String b : bad.keySet()) {
                        producer.send(new ProducerRecord<>(topics.telemetry(), 0, "us-east", b.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            producer.flush();
        }
        int badSent = (good.size() / 500) * bad.size();

        try {
            await().atMost(Duration.ofSeconds(60)).failFast("engine pipeline failed", () -> {
                        if (!failures.isEmpty()) {
                            throw new AssertionError("engine pipeline failed", failures.get(0));
                        }
                        return false;
                    })
                    .until(() -> core.counts().received() == good.size() + 1);
            assertThat(core.counts().used()).isEqualTo(good.size() + 1);
            // decisions are emitted once their transaction has committed, a moment after the core saw the records
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(decisions).extracting(Decision::type)
                    .contains("phase", "verdict", "freeze_writes", "set_weights"));

            // the metrics an operator scrapes: consumption per topic, DLQ, decisions, commit latency, consumer lag
            assertThat(meters.find("drill.records.dlq").counters().stream().mapToDouble(c -> c.count()).sum()).isEqualTo(badSent);
            assertThat(meters.find("drill.records.consumed").tag("topic", topics.telemetry()).counter()).isNotNull();
            assertThat(meters.find("drill.decisions").tag("type", "set_weights").counter().count()).isEqualTo(1);
            assertThat(meters.find("drill.transaction.commit").timer().count()).isPositive();
            assertThat(meters.find("kafka.consumer.fetch.manager.records.lag.max").meters()).isNotEmpty();
            List<ConsumerRecord<String, byte[]>> dead = readAll(bootstrap, topics.dlq(), badSent);
            assertThat(dead).hasSize(badSent);
            for (ConsumerRecord<String, byte[]> r : dead) {
                String value = new String(r.value(), StandardCharsets.UTF_8);
                String reason = new String(r.headers().lastHeader(DrillRuntime.H_REASON).value(), StandardCharsets.UTF_8);
                String path = new String(r.headers().lastHeader(DrillRuntime.H_PATH).value(), StandardCharsets.UTF_8);
                assertThat(bad).containsEntry(value, path);
                assertThat(reason).startsWith(path + ": ");
                assertThat(new String(r.headers().lastHeader(DrillRuntime.H_SOURCE).value(), StandardCharsets.UTF_8))
                        .startsWith(topics.telemetry() + "/");
            }
        } finally {
            running.dispose();
            log.close();
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        // one request in flight: under CPU starvation an idempotent producer with five in flight can end in
        // OutOfOrderSequenceException and stop delivering the test's input
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000), new StringSerializer(), new ByteArraySerializer());
    }

    static List<ConsumerRecord<String, byte[]>> readToEnd(String bootstrap, String topic) {
        return io.failoverdrill.kafka.testkit.CommittedRecords.readToEnd(bootstrap, topic);
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
            });
            c.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }
}

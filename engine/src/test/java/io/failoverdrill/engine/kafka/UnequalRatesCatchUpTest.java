package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backlog whose two telemetry partitions carry events at different rates — us-east twice as many per second as
 * eu-west — read with the engine's own batch and fetch sizes. Each fetch brings about the same bytes from both, so
 * eu-west's partition runs ahead in event time, more with every fetch, and the event-time merge has to hold its
 * records back; beyond its cap it lets them go and reads them again instead of releasing them early (which made
 * us-east's events late). Every event is taken once, none late — the last ones held back are let go by an idle tick,
 * as nothing follows the backlog.
 */
class UnequalRatesCatchUpTest {
    static final int SECONDS = 400;
    static final int EAST_PER_SECOND = 700;
    static final int WEST_PER_SECOND = 350;

    @Test
    void aBacklogAtUnequalRatesIsReadWithNothingLateAndEveryEventOnce() throws Exception {
        DrillPlan plan = Codec.decodePlan(Files.readAllBytes(Path.of("src", "test", "resources", "drills", "blackhole", "plan.json")))
                .withDrillId("unequal-rates");
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("unequal.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        long t0 = 1_795_946_400_000L;
        long events = 0;
        // one request in flight: with several, a loaded broker once answered a retried batch with
        // OutOfOrderSequenceException for two minutes and the producer dropped ~1,500 events — the test then blamed
        // the engine for events that never reached the topic
        java.util.concurrent.atomic.AtomicReference<Exception> unsent = new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.control(), plan.drillId(),
                    Codec.encode(new ControlEvent("start", t0, plan.drillId(), "start", null))));
            for (int s = 0; s < SECONDS; s++) {
                events += send(producer, topics, 0, "us-east", t0 + s * 1000L, EAST_PER_SECOND, unsent);
                events += send(producer, topics, 1, "eu-west", t0 + s * 1000L, WEST_PER_SECOND, unsent);
            }
            producer.flush();
        }
        assertThat(unsent.get()).as("every backlog event written").isNull();
        DrillCore core = new DrillCore(plan);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, plan.drillId());
        Disposable engine = new DrillRuntime(core, log, null).run().subscribe(d -> { }, errors::add);
        // nothing follows the backlog: what the merge still holds at its end is let go at an idle tick
        long expected = events + 1;
        try {
            // every backlog record fed to the core and committed: the group's offsets on its partitions at their ends
            await().atMost(Duration.ofSeconds(180)).until(() -> backlogCommitted(bootstrap, topics, plan.drillId()) || !errors.isEmpty());
            assertThat(errors).isEmpty();
            assertThat(core.counts().received()).as("the backlog and the start").isEqualTo(expected);
            assertThat(core.counts().duplicates()).as("events taken twice").isZero();
            assertThat(core.counts().late()).as("events counted late").isZero();
        } finally {
            engine.dispose();
            log.close();
        }
    }

    /** The engine's committed offsets on the backlog's partitions (telemetry 0 and 1, control) are their end offsets. */
    private static boolean backlogCommitted(String bootstrap, Topics topics, String drillId) throws Exception {
        List<TopicPartition> backlog = List.of(new TopicPartition(topics.telemetry(), 0), new TopicPartition(topics.telemetry(), 1),
                new TopicPartition(topics.control(), 0));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(KafkaEventLog.engineId(topics, drillId))
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            var ends = admin.listOffsets(backlog.stream().collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS);
            return backlog.stream().allMatch(tp -> committed.get(tp) != null && committed.get(tp).offset() == ends.get(tp).offset());
        }
    }

    /** {@code n} requests of one second of {@code region}, spread over the second, to partition {@code partition}. */
    private static int send(KafkaProducer<String, byte[]> producer, Topics topics, int partition, String region, long second, int n,
                            java.util.concurrent.atomic.AtomicReference<Exception> unsent) {
        for (int i = 0; i < n; i++) {
            long ts = second + (i * 1000L) / n;
            TelemetryEvent e = new TelemetryEvent(region + "-" + ts + "-" + i, region, "obs-" + (i % 3), ts, null,
                    new Telemetry.Request(40.0 + i % 7, 200, null, null, false, "/api"));
            producer.send(new ProducerRecord<>(topics.telemetry(), partition, region, Codec.encode(e)), (m, failed) -> {
                if (failed != null) {
                    unsent.compareAndSet(null, failed);
                }
            });
        }
        return n;
    }
}

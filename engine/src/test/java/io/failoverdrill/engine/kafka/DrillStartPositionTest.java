package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.core.Worlds;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.Journal;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A drill's first start reads from a look-back before its start control record, not from the earliest retained
 * record: on a telemetry topic that still holds a day-old record series, a drill whose start was published an hour
 * ago consumes what was published from its look-back before that start onwards, and nothing older.
 */
class DrillStartPositionTest {
    private static final long HOUR_MS = 3_600_000L;

    @Test
    void aDrillReadsFromItsLookBackBeforeItsStartRecordAndNothingOlder() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("drill-lookback.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        DrillPlan plan = Worlds.plan(DrillType.BROWNOUT);
        StartPosition.BeforeStart lookBack = StartPosition.beforeStart(plan);
        long startStamp = System.currentTimeMillis() - HOUR_MS;
        int old = 50, recent = 30;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, plan.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }, lookBack));
        try (KafkaProducer<String, byte[]> producer = KafkaEngineDlqTest.producer(bootstrap)) {
            for (int i = 0; i < old; i++) { // a day before the start: beyond any look-back
                producer.send(telemetry(topics, plan, "old-" + i, startStamp - 24 * HOUR_MS + i));
            }
            for (int i = 0; i < recent / 2; i++) { // within the look-back before the start
                producer.send(telemetry(topics, plan, "before-start-" + i, startStamp - lookBack.lookBackMs() / 2 + i));
            }
            producer.send(new ProducerRecord<>(topics.control(), 0, startStamp, plan.drillId(), Codec.encode(
                    new ControlEvent("start-1", startStamp, plan.drillId(), "start", null))));
            producer.flush();
            Disposable drill = new DrillRuntime(new DrillCore(plan), log, null).run().subscribe(d -> { }, failures::add);
            try {
                await().atMost(Duration.ofSeconds(60)).until(log::positioned);
                assertThat(log.startPosition()).isEqualTo(new StartPosition.At(startStamp - lookBack.lookBackMs()));
                for (int i = recent / 2; i < recent; i++) { // live traffic
                    producer.send(telemetry(topics, plan, "live-" + i, System.currentTimeMillis()));
                }
                producer.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    assertThat(failures).isEmpty();
                    return EmergencyStopOnKafkaTest.committed(topics, topics.telemetry(), plan.drillId()) == old + recent;
                });
            } finally {
                drill.dispose();
                log.close();
            }
        }
        List<Journal.Run> consumed = KafkaEventLog.readJournal(bootstrap, topics, plan.drillId()).stream()
                .flatMap(e -> e.runs().stream()).filter(r -> r.topic().equals(topics.telemetry())).toList();
        assertThat(consumed.stream().mapToLong(Journal.Run::fromOffset).min()).hasValue(old);
        assertThat(consumed.stream().mapToInt(Journal.Run::count).sum()).isEqualTo(recent);
        assertThat(lookBack.lookBackMs()).isGreaterThanOrEqualTo(2 * plan.timeline().baselineS() * 1000L);
    }

    @Test
    void withoutAStartRecordTheLookBackCountsFromTheFirstStartAndOneInputTopicReadsItAll() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        DrillPlan plan = Worlds.plan(DrillType.BLACKHOLE);
        StartPosition.BeforeStart lookBack = StartPosition.beforeStart(plan);
        Topics topics = new Topics("drill-lookback-nostart.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        long before = System.currentTimeMillis();
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, plan.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }, lookBack));
        try {
            log.recover(plan.drillId());
            assertThat(log.startPosition()).isInstanceOfSatisfying(StartPosition.At.class, at -> assertThat(at.epochMs())
                    .isBetween(before - lookBack.lookBackMs(), System.currentTimeMillis() - lookBack.lookBackMs()));
        } finally {
            log.close();
        }
        Topics single = new Topics("drill-lookback-single.", true);
        TopicProvisioner.ensure(bootstrap, single, (short) 1);
        KafkaEventLog one = new KafkaEventLog(bootstrap, single, plan.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }, lookBack));
        try {
            one.recover(plan.drillId());
            assertThat(one.startPosition()).isEqualTo(StartPosition.EARLIEST);
        } finally {
            one.close();
        }
    }

    private static ProducerRecord<String, byte[]> telemetry(Topics topics, DrillPlan plan, String id, long stamp) {
        TelemetryEvent e = new TelemetryEvent(id, plan.regions().get(0), "probe-a", stamp, null, new Telemetry.Heartbeat());
        return new ProducerRecord<>(topics.telemetry(), 0, stamp, e.region(), Codec.encode(e));
    }
}

package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.core.GuardCoreTest;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A new guard on a telemetry topic that still holds yesterday's outage (us-east at 400 ms for a minute, published a
 * day ago): started at the end of the input, or at a time after the outage, it clamps nothing for it while it
 * watches today's healthy traffic; started from the earliest record it replays the old outage as if it were live.
 */
class GuardStartPositionTest {
    static final long DAY_MS = 86_400_000L;

    @Test
    void aGuardStartedAtTheEndIssuesNoClampForYesterdaysOutage() throws Exception {
        assertThat(clampsOfANewGuard("from-latest.", StartPosition.LATEST)).isEmpty();
    }

    @Test
    void aGuardStartedAtATimeAfterTheOutageIssuesNoClampForIt() throws Exception {
        long anHourAgo = System.currentTimeMillis() - 3_600_000L;
        assertThat(clampsOfANewGuard("from-time.", new StartPosition.At(anHourAgo))).isEmpty();
    }

    @Test
    void aGuardReadingFromTheEarliestRecordClampsForTheOldOutage() throws Exception {
        assertThat(clampsOfANewGuard("from-earliest.", StartPosition.EARLIEST)).isNotEmpty()
                .anySatisfy(c -> assertThat(c).contains("\"type\":\"clamp\"").contains("us-east"));
    }

    @Test
    void startPositionsParseOrNameTheOptionAndTheForms() {
        assertThat(StartPosition.parse("--from", "latest", () -> 0)).isEqualTo(StartPosition.LATEST);
        assertThat(StartPosition.parse("--from", "EARLIEST", () -> 0)).isEqualTo(StartPosition.EARLIEST);
        assertThat(StartPosition.parse("--from", "2026-12-01T10:00:00Z", () -> 0))
                .isEqualTo(new StartPosition.At(1_796_119_200_000L));
        assertThat(StartPosition.parse("--from", "PT30M", () -> 10_000_000L)).isEqualTo(new StartPosition.At(8_200_000L));
        assertThatThrownBy(() -> StartPosition.parse("--from", "yesterday", () -> 0))
                .hasMessage("--from 'yesterday': expected earliest, latest, an ISO-8601 instant (2026-12-01T10:00:00Z) "
                        + "or a look-back duration (PT30M)");
        assertThatThrownBy(() -> StartPosition.parse("--from", "PT0S", () -> 0)).hasMessageContaining("must be positive");
    }

    /** The committed clamp topic once a new guard started at {@code from} has consumed today's healthy traffic. */
    private static List<String> clampsOfANewGuard(String prefix, StartPosition from) throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics(prefix);
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        DrillPlan policy = GuardCoreTest.policy();
        List<InputEvent> outage = GuardCoreTest.traffic(120, s -> s >= 30 && s < 90 ? 400 : 100);
        List<InputEvent> today = GuardCoreTest.traffic(40, s -> 100).stream().map(GuardStartPositionTest::aDayLater).toList();
        long yesterday = System.currentTimeMillis() - DAY_MS;
        try (KafkaProducer<String, byte[]> producer = KafkaEngineDlqTest.producer(bootstrap)) {
            for (InputEvent e : outage) {
                TelemetryEvent t = (TelemetryEvent) e;
                producer.send(new ProducerRecord<>(topics.telemetry(), 0, yesterday + t.tsMs() - outage.get(0).tsMs(),
                        t.region(), Codec.encode(t)));
            }
            producer.flush();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            KafkaEventLog log = new KafkaEventLog(bootstrap, topics, policy.drillId(),
                    new KafkaEventLog.Options(500, null, (b, s) -> { }, from));
            Disposable guard = new DrillRuntime(new GuardCore(policy), log, null).run().subscribe(d -> { }, failures::add);
            try {
                await().atMost(Duration.ofSeconds(60)).until(log::positioned);
                for (InputEvent e : today) {
                    producer.send(new ProducerRecord<>(topics.telemetry(), 0, ((TelemetryEvent) e).region(), Codec.encode(e)));
                }
                producer.flush();
                long end = outage.size() + today.size();
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    assertThat(failures).isEmpty();
                    return EmergencyStopOnKafkaTest.committed(topics, topics.telemetry(), policy.drillId()) == end;
                });
            } finally {
                guard.dispose();
                log.close();
            }
        }
        assertThat(CommittedRecords.values(bootstrap, topics.decisions()))
                .as("the decision log holds the clamp topic's commands")
                .containsAll(CommittedRecords.values(bootstrap, topics.clampCommands()));
        return CommittedRecords.values(bootstrap, topics.clampCommands());
    }

    private static InputEvent aDayLater(InputEvent e) {
        TelemetryEvent t = (TelemetryEvent) e;
        return new TelemetryEvent("today/" + t.eventId(), t.region(), t.observer(), t.tsMs() + DAY_MS, t.drillId(), t.payload());
    }
}

package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.core.GuardCoreTest;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Quiet batches (nothing written but the journal entry) share transactions: a guard reading its input in small
 * batches commits far fewer transactions than it journals batches, the last quiet batches are committed when their
 * wait is over although no input follows, and an engine killed while quiet batches wait loses nothing and doubles
 * nothing: its successor reads them again and the clamp topic equals the pure core's decisions, once each.
 */
class QuietCommitOnKafkaTest {
    @Test
    void quietBatchesShareTransactionsAndTheirTailIsCommittedWithoutFurtherInput() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("quiet.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        DrillPlan policy = GuardCoreTest.policy();
        List<InputEvent> events = GuardCoreTest.traffic(120, s -> s >= 60 && s < 90 ? 400 : 100);
        List<String> expected = GuardCoreTest.run(policy, events).stream().map(Codec::encodeToString).toList();
        assertThat(expected).as("the incident is clamped and released").hasSizeGreaterThan(2);
        int firstPart = events.size() / 3;
        try (KafkaProducer<String, byte[]> producer = KafkaEngineDlqTest.producer(bootstrap)) {
            // killed on receiving a batch while earlier quiet batches wait for their commit
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            KafkaEventLog doomed = new KafkaEventLog(bootstrap, topics, policy.drillId(), new KafkaEventLog.Options(50, null,
                    (batch, stage) -> {
                        if (stage == KafkaEventLog.Stage.RECEIVED && batch >= 5) {
                            throw new IllegalStateException("killed at batch " + batch);
                        }
                    }));
            Disposable first = new DrillRuntime(new GuardCore(policy), doomed, null).run().subscribe(d -> { }, failures::add);
            await().atMost(Duration.ofSeconds(60)).until(doomed::positioned);
            send(producer, topics, events.subList(0, firstPart));
            await().atMost(Duration.ofSeconds(60)).until(() -> !failures.isEmpty());
            first.dispose();
            assertThat(failures.get(0)).hasMessageContaining("killed at batch");
            assertThat(EmergencyStopOnKafkaTest.committed(topics, topics.telemetry(), policy.drillId()))
                    .as("the batches waiting when it died were not committed").isLessThan(5L * 50);

            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            KafkaEventLog log = new KafkaEventLog(bootstrap, topics, policy.drillId(), new KafkaEventLog.Options(50, meters, (b, s) -> { }));
            Disposable guard = new DrillRuntime(new GuardCore(policy), log, meters).run().subscribe(d -> { }, failures::add);
            try {
                await().atMost(Duration.ofSeconds(60)).until(log::positioned);
                send(producer, topics, events.subList(firstPart, events.size()));
                // no input follows the last record: the last quiet batches are committed once their wait is over
                await().atMost(Duration.ofSeconds(90)).until(() -> failures.size() > 1
                        || EmergencyStopOnKafkaTest.committed(topics, topics.telemetry(), policy.drillId()) == events.size());
                assertThat(failures).hasSize(1);
                long transactions = meters.find("drill.transaction.commit").timer().count();
                long batches = log.committedBatches();
                assertThat(batches).as("many small batches").isGreaterThanOrEqualTo(events.size() / 100);
                assertThat(transactions).as("transactions for %d batches", batches).isLessThan(batches / 3);
            } finally {
                guard.dispose();
                log.close();
                doomed.close();
            }
        }
        assertThat(CommittedRecords.values(bootstrap, topics.clampCommands())).containsExactlyElementsOf(expected);
        assertThat(CommittedRecords.values(bootstrap, topics.decisions())).containsExactlyElementsOf(expected);
    }

    /** Sends {@code events} as live probes would: 50 at a time, 20 ms apart (pacing the source, not awaiting a result). */
    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, List<InputEvent> events) throws InterruptedException {
        for (int i = 0; i < events.size(); i++) {
            InputEvent e = events.get(i);
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topics.telemetry(), 0,
                    ((io.failoverdrill.schemas.event.TelemetryEvent) e).region(), Codec.encode(e)));
            if (i % 50 == 49) {
                producer.flush();
                Thread.sleep(20);
            }
        }
        producer.flush();
    }
}

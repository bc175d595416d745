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
import static org.awaitility.Awaitility.await;

/**
 * Guard mode through a real broker: telemetry of a region that degrades and recovers goes in; the clamp topic
 * (read_committed) holds exactly the clamp and release commands the pure guard core decides on the same events,
 * once each, and nothing lands on the cutover topic.
 */
class GuardOnKafkaTest {
    @Test
    void theClampTopicHoldsExactlyTheGuardsDecisions() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("guardtest.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        DrillPlan policy = GuardCoreTest.policy();
        List<InputEvent> events = GuardCoreTest.traffic(150, s -> s < 30 || s >= 90 ? 100 : 400);
        List<String> expected = GuardCoreTest.run(policy, events).stream().map(Codec::encodeToString).toList();
        assertThat(expected).hasSizeGreaterThan(2);

        List<Throwable> failures = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, policy.drillId());
        Disposable running = new DrillRuntime(new GuardCore(policy), log, null).run().subscribe(d -> { }, failures::add);
        try (KafkaProducer<String, byte[]> producer = KafkaEngineDlqTest.producer(bootstrap)) {
            for (InputEvent e : events) {
                producer.send(new ProducerRecord<>(topics.telemetry(), 0, ((TelemetryEvent) e).region(), Codec.encode(e)));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                assertThat(failures).isEmpty();
                return CommittedRecords.values(bootstrap, topics.clampCommands()).size() >= expected.size();
            });
        } finally {
            running.dispose();
            log.close();
        }
        assertThat(CommittedRecords.values(bootstrap, topics.clampCommands())).containsExactlyElementsOf(expected);
        assertThat(CommittedRecords.values(bootstrap, topics.decisions())).containsExactlyElementsOf(expected);
        assertThat(CommittedRecords.values(bootstrap, topics.cutoverCommands())).isEmpty();
    }
}

package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.RepeatedTest;
import reactor.core.Disposable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Liveness on a quiet input: a start control event, sent once the engine runs, is the only record, and the
 * telemetry partitions are empty. At
 * the first batch their first fetch may not be answered yet, so the runtime holds the start back (they may be
 * behind); with no further record ever arriving it must still let it go once they are known to be empty, and commit.
 */
class QuietInputTest {
    @RepeatedTest(3)
    void aLoneStartIsConsumedWithoutAnyFurtherInput(org.junit.jupiter.api.RepetitionInfo repetition) throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics t = new Topics("quiet" + repetition.getCurrentRepetition() + ".");
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        DrillPlan plan = Codec.decodePlan(Files.readAllBytes(Path.of("src", "test", "resources", "drills", "brownout", "plan.json")));
        KafkaEventLog log = new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }));
        Disposable engine = new DrillRuntime(new DrillCore(plan), log, null).run().subscribe();
        try (KafkaProducer<String, byte[]> p = KafkaEngineDlqTest.producer(bootstrap)) {
            await().atMost(Duration.ofSeconds(30)).until(log::positioned);
            p.send(new ProducerRecord<>(t.control(), 0, plan.drillId(), Codec.encode(
                    new ControlEvent("start-quiet", 1_795_946_401_000L, plan.drillId(), "start", null)))).get();
            await().atMost(Duration.ofSeconds(20)).until(() -> EmergencyStopOnKafkaTest.committed(t, t.control(), plan.drillId()) == 1);
        } finally {
            engine.dispose();
            log.close();
        }
    }
}

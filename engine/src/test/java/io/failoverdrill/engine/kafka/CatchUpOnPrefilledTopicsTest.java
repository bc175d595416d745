package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.replay.TopicReplay;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An engine started on topics that already hold a whole drill — telemetry spread over 6 partitions by region, the
 * control and ack topics beside it — read in small batches, so a poll brings one partition far ahead of another.
 * Interleaving the partitions by event time must make this identical to the ordered file: the same decision log as
 * the golden one, and no event counted late.
 */
class CatchUpOnPrefilledTopicsTest {
    @Test
    void aPrefilledMultiPartitionDrillGivesTheGoldenLogWithNothingLate() throws Exception {
        Path dir = Path.of("src", "test", "resources", "drills", "blackhole");
        DrillPlan plan = Codec.decodePlan(Files.readAllBytes(dir.resolve("plan.json")));
        List<String> golden = Files.readAllLines(dir.resolve("decisions.jsonl"));
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("catchup.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        try (KafkaProducer<String, byte[]> producer = KafkaEngineDlqTest.producer(bootstrap)) {
            for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
                InputEvent e = Codec.decodeInput(line.getBytes(StandardCharsets.UTF_8));
                String topic = e instanceof ControlEvent ? topics.control() : e instanceof AckEvent ? topics.acks() : topics.telemetry();
                String key = e instanceof TelemetryEvent t ? t.region() + "/" + t.observer() : plan.drillId();
                producer.send(new ProducerRecord<>(topic, key, line.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        DrillCore core = new DrillCore(plan);
        List<Decision> out = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, plan.drillId(), new KafkaEventLog.Options(250, null, (b, s) -> { }));
        Disposable engine = new DrillRuntime(core, log, null).run().subscribe(out::add, errors::add);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> out.size() >= golden.size() || !errors.isEmpty());
            assertThat(errors).isEmpty();
            assertThat(core.counts().late()).as("events counted late").isZero();
            assertThat(out.stream().map(Codec::encodeToString).toList()).containsExactlyElementsOf(golden);
            assertThat(CommittedRecords.values(bootstrap, topics.decisions())).containsExactlyElementsOf(golden);
            java.io.ByteArrayOutputStream replayed = new java.io.ByteArrayOutputStream();
            TopicReplay.run(plan, bootstrap, topics, Long.MIN_VALUE, Long.MAX_VALUE, replayed);
            assertThat(replayed.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("\n", golden) + "\n");
        } finally {
            engine.dispose();
            log.close();
        }
    }
}

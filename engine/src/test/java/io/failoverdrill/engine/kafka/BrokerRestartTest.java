package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.Supervisor;
import io.failoverdrill.kafka.testkit.ProcessKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real broker is stopped in the middle of a drill and started again: the supervised engine rides it out
 * (restarting with backoff if its pipeline fails), the drill completes, and the topics hold exactly the golden log.
 */
class BrokerRestartTest {
    static final Path DRILL = Path.of("src", "test", "resources", "drills", "brownout");

    @Test
    void aBrokerRestartMidDrillLosesNothing(@TempDir Path dir) throws Exception {
        DrillPlan plan = Codec.decodePlan(Files.readAllBytes(DRILL.resolve("plan.json")));
        List<String> events = Files.readAllLines(DRILL.resolve("events.jsonl"));
        List<String> golden = Files.readAllLines(DRILL.resolve("decisions.jsonl"));
        try (ProcessKafka broker = new ProcessKafka(dir).start()) {
            String bootstrap = broker.bootstrapServers();
            Topics t = new Topics("restart.", true);
            TopicProvisioner.ensure(bootstrap, t, (short) 1);
            int cut = events.size() / 2;
            produce(bootstrap, t, events.subList(0, cut));
            AtomicInteger restarts = new AtomicInteger();
            Disposable engine = Supervisor.supervise(() -> new DrillRuntime(new DrillCore(plan),
                            new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(100, null, (b, s) -> { })), null),
                    Duration.ofMillis(500), Duration.ofSeconds(2), Supervisor::fenced, e -> restarts.incrementAndGet(),
                    Schedulers.parallel()).subscribe();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        KafkaEventLog.readJournal(bootstrap, t, plan.drillId()).stream().mapToInt(e -> e.records()).sum() == cut);
                broker.stop();
                Thread.sleep(3000); // the broker stays down for a while: the engine must ride it out
                broker.start();
                produce(bootstrap, t, events.subList(cut, events.size()));
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        KafkaEngineDlqTest.readToEnd(bootstrap, t.decisions()).size() >= golden.size());
                assertThat(KafkaEngineDlqTest.readToEnd(bootstrap, t.decisions()).stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList()).containsExactlyElementsOf(golden);
            } finally {
                engine.dispose();
            }
        }
    }

    static void produce(String bootstrap, Topics t, List<String> lines) {
        try (KafkaProducer<String, byte[]> p = KafkaEngineDlqTest.producer(bootstrap)) {
            for (String line : lines) {
                p.send(new ProducerRecord<>(t.telemetry(), 0, "k", line.getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
    }
}

package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A dry run decides and judges exactly as a real one, but its commands reach only the dry-run topic. */
class DryRunOnKafkaTest {
    static final Path DRILL = Path.of("src", "test", "resources", "drills", "brownout");

    @Test
    void aDryRunLogsTheSameDecisionsButLeavesTheCommandTopicsEmpty() throws Exception {
        DrillPlan plan = Codec.decodePlan(Files.readAllBytes(DRILL.resolve("plan.json"))).asDryRun();
        List<String> events = Files.readAllLines(DRILL.resolve("events.jsonl"));
        List<String> golden = Files.readAllLines(DRILL.resolve("decisions.jsonl"));
        String bootstrap = SharedKafka.bootstrapServers();
        Topics t = new Topics("dryrun1.");
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        try (KafkaProducer<String, byte[]> p = KafkaEngineDlqTest.producer(bootstrap)) {
            EmergencyStopOnKafkaTest.send(p, t.telemetry(), events);
        }
        List<Decision> out = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }));
        Disposable engine = new DrillRuntime(new DrillCore(plan), log, null).run().subscribe(out::add);
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> out.stream().anyMatch(d -> d instanceof PhaseChange pc && pc.to() == Phase.DONE));
        } finally {
            engine.dispose();
            log.close();
        }
        assertThat(CommittedRecords.values(bootstrap, t.decisions())).as("decided and judged as usual").containsExactlyElementsOf(golden);
        assertThat(CommittedRecords.readToEnd(bootstrap, t.cutoverCommands())).as("nothing an actuator reads").isEmpty();
        assertThat(CommittedRecords.readToEnd(bootstrap, t.clampCommands())).isEmpty();
        assertThat(CommittedRecords.values(bootstrap, t.dryrunCommands()))
                .containsExactlyElementsOf(golden.stream().filter(l -> l.contains("\"command_id\"")).toList());
    }
}

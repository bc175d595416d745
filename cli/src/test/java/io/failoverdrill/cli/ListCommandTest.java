package io.failoverdrill.cli;

import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.testing.GuardTraffic;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.GuardPolicy;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code drill list}: nothing before any engine ran; then a guard, where it runs, and no lag once it caught up. */
class ListCommandTest extends CliRunner {
    @Test
    void listsAGuardWithItsPhaseSnapshotLagAndWhereItRuns() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("list.", true);
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        assertThat(run("list", "--bootstrap-servers", bootstrap, "--topic-prefix", "list.")).isZero();
        assertThat(out.toString()).contains("no drill or guard has state on list.state");

        DrillPlan policy = GuardPolicy.decode(Files.readAllBytes(GuardProcessKillTest.POLICY));
        List<String> lines = GuardTraffic.of(60, s -> 100).stream().map(Codec::encodeToString).toList();
        EngineProcessKillTest.feed(bootstrap, topics.telemetry(), lines);
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, policy.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }));
        Disposable guard = new DrillRuntime(new GuardCore(policy), log, null).snapshotEvery(1000, Duration.ofHours(1))
                .run().subscribe();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> GuardProcessKillTest.consumed(bootstrap, topics, policy) == lines.size());
            out.getBuffer().setLength(0);
            assertThat(run("list", "--bootstrap-servers", bootstrap, "--topic-prefix", "list.")).isZero();
            String row = out.toString().lines().filter(l -> l.startsWith(policy.drillId() + " ")).findFirst().orElseThrow();
            String[] columns = row.split("\\s+"); // id kind phase batches seq watermark "batch" N lag host
            assertThat(columns).hasSize(10).startsWith(policy.drillId(), "guard", "observe");
            assertThat(columns[5]).as("watermark: the last snapshot's").startsWith("2026-11-29T10:00:4");
            assertThat(columns[6] + " " + columns[7]).isEqualTo("batch " + (Long.parseLong(columns[3]) - 1));
            assertThat(columns[8]).as("lag").isEqualTo("0");
            assertThat(columns[9]).as("running on").contains("127.0.0.1");
        } finally {
            guard.dispose();
            log.close();
        }
    }
}

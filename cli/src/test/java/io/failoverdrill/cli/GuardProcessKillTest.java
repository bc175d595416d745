package io.failoverdrill.cli;

import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.testing.GuardTraffic;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.GuardPolicy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real guard process ({@code drill guard}) is killed with SIGKILL while it clamps a degraded region, then started
 * again: it says it recovered from its snapshot, and the clamp topic (read_committed) holds exactly the commands an
 * uninterrupted guard decides on the same telemetry — none lost, none doubled.
 */
class GuardProcessKillTest {
    static final Path POLICY = Path.of("..", "plans", "guard.json");

    @Test
    void aKilledGuardProcessRestartsFromItsSnapshotAndClampsAsIfUninterrupted(@TempDir Path tmp) throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("gproc.", true);
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        DrillPlan policy = GuardPolicy.decode(Files.readAllBytes(POLICY));
        // us-east slow from second 40 to 130; the guard is killed at second 90, while it clamps
        List<InputEvent> events = GuardTraffic.of(180, s -> s >= 40 && s < 130 ? 400 : 100);
        List<String> lines = events.stream().map(Codec::encodeToString).toList();
        int cut = (int) events.stream().filter(e -> e.tsMs() < GuardTraffic.T0 + 90_000).count();
        GuardCore uninterrupted = new GuardCore(policy);
        List<String> expected = new ArrayList<>();
        events.forEach(e -> uninterrupted.accept(e).forEach(d -> expected.add(Codec.encodeToString(d))));
        assertThat(expected).as("clamped before the kill, tightened and released after it").hasSizeGreaterThan(3);

        EngineProcessKillTest.feed(bootstrap, topics.telemetry(), lines.subList(0, cut));
        Process first = guard(bootstrap, tmp.resolve("first.log"));
        await().atMost(Duration.ofSeconds(60)).until(() -> consumed(bootstrap, topics, policy) == cut);
        assertThat(EngineProcessKillTest.read(bootstrap, topics.clampCommands())).as("clamping when killed").isNotEmpty();
        first.destroyForcibly();
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Process second = guard(bootstrap, tmp.resolve("second.log"));
        try {
            EngineProcessKillTest.feed(bootstrap, topics.telemetry(), lines.subList(cut, lines.size()));
            await().atMost(Duration.ofSeconds(90)).until(() -> consumed(bootstrap, topics, policy) == lines.size());
            assertThat(Files.readString(tmp.resolve("second.log")))
                    .containsPattern("engine   recovered '" + policy.drillId() + "' from its snapshot after batch \\d+ and \\d+ "
                            + "journaled records re-fed, in \\d+\\.\\d s");
        } finally {
            ChildProcesses.stop(second);
        }
        assertThat(EngineProcessKillTest.read(bootstrap, topics.clampCommands())).containsExactlyElementsOf(expected);
        assertThat(EngineProcessKillTest.read(bootstrap, topics.decisions())).containsExactlyElementsOf(expected);
    }

    static Process guard(String bootstrap, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.failoverdrill.cli.DrillCli", "guard", "--policy", POLICY.toString(), "--from", "earliest",
                "--snapshot-every-records", "1000", "--bootstrap-servers", bootstrap, "--topic-prefix", "gproc.",
                "--single-input").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The guard's committed offset on the input. */
    static long consumed(String bootstrap, Topics topics, DrillPlan policy) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(KafkaEventLog.engineId(topics, policy.drillId()))
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata o = m.get(new TopicPartition(topics.telemetry(), 0));
            return o == null ? 0 : o.offset();
        }
    }
}

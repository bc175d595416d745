package io.failoverdrill.cli;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code drill export} then {@code drill replay --input}: an analyst reproduces a drill's committed decision log byte
 * for byte from a file, without the topics — here with a stop
 * and its clearing on the stop topic and a malformed ack the engine rejected among the drill's inputs.
 */
class ExportReplayTest extends CliRunner {
    static final Path DRILL = Path.of("..", "engine", "src", "test", "resources", "drills", "brownout");

    @Test
    void anExportedDrillReplaysToTheCommittedLogByteForByte(@TempDir Path dir) throws Exception {
        DrillPlan plan = Codec.decodePlan(Files.readAllBytes(DRILL.resolve("plan.json")));
        List<String> events = Files.readAllLines(DRILL.resolve("events.jsonl"));
        String bootstrap = SharedKafka.bootstrapServers();
        Topics t = new Topics("export.");
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        List<Decision> decided = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, t, plan.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }));
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(t.stop(), 0, "some-other-drill", ("{\"type\":\"stop\",\"event_id\":\"s1\",\"ts\":"
                    + "\"2026-11-29T10:00:00.000Z\",\"scope\":\"some-other-drill\",\"reason\":\"not this one\"}").getBytes(StandardCharsets.UTF_8)));
            p.send(new ProducerRecord<>(t.stop(), 0, "some-other-drill", null));
            p.flush();
            Disposable engine = new DrillRuntime(new DrillCore(plan), log, null).run().subscribe(decided::add);
            try {
                // the stop and its clearing first, so that they are among the drill's journaled inputs
                await().atMost(Duration.ofSeconds(60)).until(() -> KafkaEventLog.readJournal(bootstrap, t, plan.drillId()).stream()
                        .flatMap(e -> e.runs().stream()).filter(r -> r.topic().equals(t.stop())).mapToInt(r -> r.count()).sum() == 2);
                p.send(new ProducerRecord<>(t.telemetry(), 0, "x", "{\"type\":\"ack\"}".getBytes(StandardCharsets.UTF_8)));
                for (String line : events) {
                    p.send(new ProducerRecord<>(t.telemetry(), 0, "k", line.getBytes(StandardCharsets.UTF_8)));
                }
                p.flush();
                await().atMost(Duration.ofSeconds(90)).until(() -> decided.stream().anyMatch(d -> d instanceof PhaseChange pc && pc.to().terminal()));
            } finally {
                engine.dispose();
                log.close();
            }
        }
        Path inputs = dir.resolve("inputs.jsonl");
        Path replayed = dir.resolve("replayed.jsonl");
        Path planFile = DRILL.resolve("plan.json");
        assertThat(run("export", "--drill-id", plan.drillId(), "--out", inputs.toString(), "--bootstrap-servers", bootstrap,
                "--topic-prefix", "export.")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("(1 rejected records left out)");
        assertThat(Files.readString(inputs)).contains("\"clear\":true");
        assertThat(run("replay", "--plan", planFile.toString(), "--input", inputs.toString(), "--out", replayed.toString()))
                .as(err.toString()).isIn(0, 1);
        assertThat(Files.readAllLines(replayed)).isNotEmpty()
                .containsExactlyElementsOf(CommittedRecords.values(bootstrap, t.decisions()));
    }
}

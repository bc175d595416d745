package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.kafka.testkit.SharedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real engine process ({@code drill run}) is killed with SIGKILL in the middle of a drill while its input is
 * still arriving, then started again: the decision-log and cutover topics (read_committed) hold exactly the golden
 * log of the same input — no duplicate, no gap — and the restarted process finishes the drill with exit code 0,
 * writing the drill's evidence report ({@code --reports}) rebuilt from the topics.
 */
class EngineProcessKillTest {
    static final Path DRILL = Path.of("..", "engine", "src", "test", "resources", "drills", "brownout");

    @Test
    void aKilledEngineProcessResumesFromItsLastTransaction(@TempDir Path tmp) throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("proc.", true);
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        List<String> events = Files.readAllLines(DRILL.resolve("events.jsonl"));
        List<String> golden = Files.readAllLines(DRILL.resolve("decisions.jsonl"));

        Thread feeder = new Thread(() -> feed(bootstrap, topics.telemetry(), events), "feeder");
        feeder.start();
        Process first = engine(bootstrap, tmp.resolve("first.log"), tmp.resolve("reports"));
        await().atMost(Duration.ofSeconds(60)).until(() -> read(bootstrap, topics.decisions()).size() >= 9);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful close, a transaction may be open
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int committedAtKill = read(bootstrap, topics.decisions()).size();
        assertThat(committedAtKill).as("killed mid-drill").isLessThan(golden.size());

        long restarted = System.nanoTime();
        Process second = engine(bootstrap, tmp.resolve("second.log"), tmp.resolve("reports"));
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).as(Files.readString(tmp.resolve("second.log"))).isTrue();
        // static membership: the restart takes the dead engine's partitions at once, not after its 45 s session
        assertThat(Duration.ofNanos(System.nanoTime() - restarted)).as("restart to the end of the drill")
                .isLessThan(Duration.ofSeconds(40));
        feeder.join();
        assertThat(second.exitValue()).as(Files.readString(tmp.resolve("second.log"))).isZero();
        assertThat(read(bootstrap, topics.decisions())).containsExactlyElementsOf(golden);
        assertThat(read(bootstrap, topics.cutoverCommands()))
                .containsExactlyElementsOf(golden.stream().filter(l -> l.contains("\"command_id\"")).toList());
        Path report = tmp.resolve("reports").resolve("golden-brownout");
        assertThat(Files.readString(tmp.resolve("second.log"))).contains("report   " + report.resolve("report.html").toAbsolutePath());
        assertThat(Files.readAllLines(report.resolve("decisions.jsonl"))).containsExactlyElementsOf(golden);
        assertThat(Files.readString(report.resolve("report.json"))).contains("\"report_version\"", "\"health_ready\"");

        // the same plan run again after its end: recovery finds the drill over, nothing is decided, the report is
        // published again and the exit code is the drill's
        Process third = engine(bootstrap, tmp.resolve("third.log"), tmp.resolve("reports"));
        assertThat(third.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(tmp.resolve("third.log"))).isTrue();
        assertThat(third.exitValue()).as(Files.readString(tmp.resolve("third.log"))).isZero();
        assertThat(Files.readString(tmp.resolve("third.log"))).contains("drill 'golden-brownout' had ended before this start")
                .contains("report   published to proc.reports (key golden-brownout");
        assertThat(read(bootstrap, topics.decisions())).containsExactlyElementsOf(golden);
    }

    static Process engine(String bootstrap, Path log, Path reports) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.failoverdrill.cli.DrillCli", "run", "--plan", DRILL.resolve("plan.json").toString(),
                "--bootstrap-servers", bootstrap, "--topic-prefix", "proc.", "--single-input",
                "--max-poll-records", "50", "--reports", reports.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Produces the input in small paced chunks, as live telemetry would arrive. */
    static void feed(String bootstrap, String topic, List<String> lines) {
        feed(bootstrap, topic, lines, 40);
    }

    /** … in chunks of {@code chunk} records, 100 ms apart. */
    static void feed(String bootstrap, String topic, List<String> lines, int chunk) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < lines.size(); i++) {
                p.send(new ProducerRecord<>(topic, 0, "k", lines.get(i).getBytes(StandardCharsets.UTF_8)));
                if (i % chunk == chunk - 1) {
                    p.flush();
                    TimeUnit.MILLISECONDS.sleep(100); // pacing the source, not waiting for a result
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> read(String bootstrap, String topic) {
        return io.failoverdrill.kafka.testkit.CommittedRecords.values(bootstrap, topic);
    }
}

package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.replay.TopicReplay;
import io.failoverdrill.engine.report.ReportBuilder;
import io.failoverdrill.engine.report.ReportFiles;
import io.failoverdrill.schemas.CanonicalJson;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The evidence report of a finished drill, rebuilt from its journal (the same bytes as {@code drill replay
 * --report}): published to the compacted {@code <prefix>reports} topic (key = drill id, value = report.json) and,
 * with {@code drill run --reports DIR}, written to {@code DIR/<drill_id>/}.
 */
final class DrillReports {
    /** A drill's report and its decision log, as rebuilt. */
    record Rebuilt(Map<String, Object> report, byte[] decisions) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private DrillReports() {
    }

    /** Rebuilds {@code plan}'s report from the journal and the input it names. */
    static Rebuilt fromTopics(DrillPlan plan, Map<String, Object> client, Topics topics) {
        ReportBuilder report = new ReportBuilder(plan);
        ByteArrayOutputStream decisions = new ByteArrayOutputStream();
        TopicReplay.run(plan, client, topics, Long.MIN_VALUE, Long.MAX_VALUE, decisions, report::accept);
        List<Decision> logged = new ArrayList<>();
        for (String line : decisions.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                logged.add(Codec.decodeDecision(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return new Rebuilt(report.build(logged), decisions.toByteArray());
    }

    /**
     * Publishes report.json to the report topic (key = the drill id); then, given the drill's last committed state
     * record, writes it again with {@code "report": "<topic>/<partition>@<offset>"} — what tells {@code drill serve}
     * that the report is out (a drill that ended without it is hosted once more to publish it). Returns where the report is.
     */
    static Published publish(Map<String, Object> client, Topics topics, String drillId, Map<String, Object> report,
                             byte[] committedState) {
        byte[] json = CanonicalJson.bytes(report);
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicProvisioner.REPORT_MAX_BYTES);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            var at = producer.send(new ProducerRecord<>(topics.reports(), drillId, json)).get(60, TimeUnit.SECONDS);
            String where = at.topic() + "/" + at.partition() + "@" + at.offset();
            if (committedState != null) {
                producer.send(new ProducerRecord<>(topics.state(), drillId, reportedState(committedState, where)))
                        .get(60, TimeUnit.SECONDS);
            }
            return new Published(where, json.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the report", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("report of '" + drillId + "' not published to " + topics.reports() + ": "
                    + DrillCli.oneLine(e.getCause() == null ? e : e.getCause()), e);
        }
    }

    /** Where a published report went ({@code topic/partition@offset}) and its size in bytes. */
    record Published(String where, int bytes) {
    }

    /** A drill's state record value with {@code report} set to where its report is. */
    static byte[] reportedState(byte[] committedState, String where) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> state = JSON.readValue(committedState, java.util.TreeMap.class);
            state.put(REPORT_FIELD, where);
            return CanonicalJson.bytes(state);
        } catch (IOException e) {
            throw new UncheckedIOException("the drill's state record is not JSON", e);
        }
    }

    /** The field of a drill's state record that says where its report is: present once it was published. */
    static final String REPORT_FIELD = "report";

    /**
     * Writes {@code decisions.jsonl}, {@code report.json} and {@code report.html} to {@code reports/<drill_id>/}
     * (characters outside {@code [A-Za-z0-9._-]} of the id become {@code _}); returns the HTML file.
     */
    static Path write(Rebuilt rebuilt, String drillId, Path reports) {
        try {
            Path dir = reports.resolve(drillId.replaceAll("[^A-Za-z0-9._-]", "_"));
            Files.createDirectories(dir);
            Files.write(dir.resolve("decisions.jsonl"), rebuilt.decisions());
            return ReportFiles.write(dir, rebuilt.report());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report under " + reports + ": " + e.getMessage(), e);
        }
    }

    /**
     * The drill's evidence report, rebuilt from the topics: published to the report topic (and the drill's state record
     * marked, given its {@code committedState}), and written to {@code reportsDir} (when not null). A report that cannot
     * be built or published is said, and the exit code stays the drill's; returns it rebuilt (null: it could not be).
     */
    static Rebuilt publishAndWrite(DrillPlan drill, java.util.Map<String, Object> client, Topics topics, java.nio.file.Path reportsDir,
                                   byte[] committedState, java.io.PrintWriter out) {
        Rebuilt rebuilt = null;
        try {
            rebuilt = fromTopics(drill, client, topics);
            Published published = publish(client, topics, drill.drillId(), rebuilt.report(), committedState);
            out.println("report   published to " + topics.reports() + " (key " + drill.drillId() + ", "
                    + published.bytes() + " bytes, at " + published.where() + ")");
            if (reportsDir != null) {
                out.println("report   " + write(rebuilt, drill.drillId(), reportsDir).toAbsolutePath());
            }
        } catch (RuntimeException e) {
            out.println("report   not written: " + DrillCli.oneLine(e));
        }
        out.flush();
        return rebuilt;
    }
}

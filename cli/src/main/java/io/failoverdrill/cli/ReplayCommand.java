package io.failoverdrill.cli;

import io.failoverdrill.engine.replay.FileReplay;
import io.failoverdrill.engine.replay.TopicReplay;
import io.failoverdrill.engine.report.DecisionFiles;
import io.failoverdrill.engine.report.ReportBuilder;
import io.failoverdrill.engine.report.ReportFiles;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.Timestamps;
import io.failoverdrill.schemas.plan.DrillPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code drill replay --plan P --input EVENTS.jsonl --out DECISIONS.jsonl [--dlq BAD.jsonl]}, or from the topics:
 * {@code drill replay --plan P --bootstrap-servers B [--drill-id ID] [--from TS] [--to TS] --out DECISIONS.jsonl}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-run the engine core over an exported event file, or over a drill's topics, and write the decision log.")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--plan", required = true, description = "plan JSON file")
    Path plan;

    @Option(names = "--input", description = "JSONL file of telemetry, control and ack events in arrival order")
    Path input;

    @Mixin
    KafkaOptions kafka; // replay from the topics instead: the drill's journal says what the live engine read, in order

    @Option(names = "--drill-id", description = "with --bootstrap-servers: the drill to replay (default: the plan's drill_id)")
    String drillId;

    @Option(names = "--from", description = "with --bootstrap-servers: write decisions at or after this RFC 3339 time")
    String from;

    @Option(names = "--to", description = "with --bootstrap-servers: write decisions at or before this RFC 3339 time")
    String to;

    @Option(names = "--out", required = true, description = "where to write the decision log (JSONL)")
    Path out;

    @Option(names = "--dlq", description = "where to write rejected lines (line number + reason)")
    Path dlq;

    @Option(names = "--report", paramLabel = "DIR", description = "also write the evidence report (report.json, report.html) into DIR")
    Path reportDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        DrillPlan p = PlanFiles.load(plan);
        if ((input == null) == !kafka.hasBootstrap()) {
            throw new IllegalArgumentException("give exactly one of --input FILE or --bootstrap-servers B");
        }
        DrillPlan replayed = kafka.hasBootstrap() && drillId != null ? p.withDrillId(drillId) : p;
        ReportBuilder report = reportDir == null ? null : new ReportBuilder(replayed);
        Consumer<InputEvent> tap = report == null ? e -> { } : report::accept;
        int exit = kafka.hasBootstrap() ? fromTopics(replayed, tap) : fromFile(p, tap);
        if (report != null) {
            Path html = ReportFiles.write(reportDir, report.build(DecisionFiles.read(out)));
            spec.commandLine().getOut().println("report   " + html.toAbsolutePath());
        }
        return exit;
    }

    private int fromFile(DrillPlan p, Consumer<InputEvent> tap) throws IOException {
        FileReplay.Summary s;
        try (InputStream in = Files.newInputStream(input);
             OutputStream decisions = new BufferedOutputStream(Files.newOutputStream(out));
             OutputStream bad = dlq == null ? null : new BufferedOutputStream(Files.newOutputStream(dlq))) {
            s = FileReplay.run(p, in, decisions, bad, tap);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("input file not found: " + e.getFile());
        }
        spec.commandLine().getOut().printf("replayed %d events (%d rejected) → %d decisions, phase %s, %d failed verdict(s)%n",
                s.events(), s.rejected(), s.decisions(), s.finalPhase(), s.failedVerdicts());
        return s.passed() ? DrillCli.OK : DrillCli.VERDICT_FAILED;
    }

    private int fromTopics(DrillPlan p, Consumer<InputEvent> tap) throws IOException {
        long fromMs = from == null ? Long.MIN_VALUE : time("--from", from);
        long toMs = to == null ? Long.MAX_VALUE : time("--to", to);
        FileReplay.Summary s;
        try (OutputStream decisions = new BufferedOutputStream(Files.newOutputStream(out))) {
            s = TopicReplay.run(p, kafka.reachableClient(), kafka.topics(), fromMs, toMs, decisions, tap);
        }
        spec.commandLine().getOut().printf("replayed %d journaled records of drill %s (%d rejected) → %d decisions written, phase %s, %d failed verdict(s)%n",
                s.lines(), p.drillId(), s.rejected(), s.decisions(), s.finalPhase(), s.failedVerdicts());
        return s.passed() ? DrillCli.OK : DrillCli.VERDICT_FAILED;
    }

    private static long time(String option, String value) {
        long ms = Timestamps.parseOrMin(value);
        if (ms == Long.MIN_VALUE) {
            throw new IllegalArgumentException(option + " must be an RFC 3339 UTC time like 2026-11-29T10:00:00.000Z, got " + value);
        }
        return ms;
    }
}

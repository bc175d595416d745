package io.failoverdrill.cli;

import io.failoverdrill.engine.replay.FileReplay;
import io.failoverdrill.schemas.plan.DrillPlan;
import picocli.CommandLine.Command;
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

/** {@code drill replay --plan P --input EVENTS.jsonl --out DECISIONS.jsonl [--dlq BAD.jsonl]}. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-run the engine core over an exported event file and write the decision log.")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--plan", required = true, description = "plan JSON file")
    Path plan;

    @Option(names = "--input", required = true, description = "JSONL file of telemetry, control and ack events in arrival order")
    Path input;

    @Option(names = "--out", required = true, description = "where to write the decision log (JSONL)")
    Path out;

    @Option(names = "--dlq", description = "where to write rejected lines (line number + reason)")
    Path dlq;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        DrillPlan p = PlanFiles.load(plan);
        FileReplay.Summary s;
        try (InputStream in = Files.newInputStream(input);
             OutputStream decisions = new BufferedOutputStream(Files.newOutputStream(out));
             OutputStream bad = dlq == null ? null : new BufferedOutputStream(Files.newOutputStream(dlq))) {
            s = FileReplay.run(p, in, decisions, bad);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("input file not found: " + e.getFile());
        }
        spec.commandLine().getOut().printf("replayed %d events (%d rejected) → %d decisions, phase %s, %d failed verdict(s)%n",
                s.events(), s.rejected(), s.decisions(), s.finalPhase(), s.failedVerdicts());
        return s.passed() ? DrillCli.OK : DrillCli.VERDICT_FAILED;
    }
}

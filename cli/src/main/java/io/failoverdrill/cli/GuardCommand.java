package io.failoverdrill.cli;

import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.StartPosition;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.GuardPolicy;
import io.failoverdrill.schemas.plan.PlanDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code drill guard --policy FILE --bootstrap-servers B}: the live-incident mode. No drill plan: the engine reads
 * the telemetry continuously, clamps a degraded region (concurrency limit, retrieval k) on the clamp topic and
 * releases it with hysteresis — exactly once and fenced like a drill (the guard id plays the drill id).
 */
@Command(name = "guard", mixinStandardHelpOptions = true,
        description = "Watch every region continuously and clamp a degraded one automatically (no drill); runs until Ctrl-C.")
final class GuardCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, description = "guard policy JSON (guard_id, regions, detect.p95_ms, clamp, rag_probe, routing.hysteresis_s)")
    Path policy;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    EngineOptions engineOptions;

    @Spec
    CommandSpec spec;

    @Mixin
    SnapshotOptions snapshots;

    @Option(names = "--dry-run", description = "decide as usual, but send clamps only to <prefix>dryrun.commands (no actuator reads it)")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        DrillPlan decoded;
        try {
            decoded = GuardPolicy.decode(Files.readAllBytes(policy));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("policy file not found: " + policy);
        } catch (PlanDecoder.PlanInvalid e) {
            e.violations().forEach(v -> spec.commandLine().getErr().println(policy + ": " + v.getMessage()));
            return DrillCli.USAGE;
        }
        DrillPlan guard = dryRun ? decoded.asDryRun() : decoded;
        // a new guard watches from now on: yesterday's outage in the retained telemetry is not a live incident
        StartPosition from = engineOptions.from(StartPosition.LATEST);
        snapshots.check();
        Topics topics = kafka.topics();
        var client = kafka.reachableClient();
        String bootstrap = kafka.bootstrap();
        var out = spec.commandLine().getOut();
        ProgressPrinter printer = new ProgressPrinter(out);
        try (SupervisedEngine engine = snapshots.applyTo(new SupervisedEngine(client, topics, engineOptions, printer, out))) {
            out.println("guard    '" + guard.drillId() + "' watching " + guard.regions() + ": clamp when p95 > "
                    + guard.detect().p95Ms() + " ms or ΔS > " + guard.ragProbe().deltaSRisk() + " for "
                    + guard.routing().hysteresisS() + " s (window " + guard.detect().windowS() + " s); a first start reads from "
                    + from.describe() + ", a restart resumes where it committed; commands on "
                    + (guard.dryRun() ? topics.dryrunCommands() + " (DRY RUN: no actuator reads it)" : topics.clampCommands()));
            out.flush();
            engine.run(guard.drillId(), KafkaEventLog.Options.DEFAULT.maxPollRecords(), from, () -> new GuardCore(guard))
                    .doOnNext(printer::print)
                    .blockLast();
            return DrillCli.OK;
        }
    }
}

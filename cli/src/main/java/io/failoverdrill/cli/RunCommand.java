package io.failoverdrill.cli;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.kafka.StartPosition;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.runtime.EngineWarmUp;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.plan.DrillPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code drill run --plan P --bootstrap-servers B}: the engine alone, against an existing cluster. It recovers the
 * drill from the journal if it ran before, restarts itself with backoff after a failure (never after being fenced
 * by another engine for the same drill), and exits when the drill is done (0) or failed/aborted (1).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the engine for one drill plan against an existing Kafka cluster (production use).")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--plan", required = true, description = "plan JSON file")
    Path plan;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--drill-id", description = "override the plan's drill_id")
    String drillId;

    @Option(names = "--dry-run", description = "decide and judge as usual, but send commands only to <prefix>dryrun.commands, "
            + "which no actuator reads (as the plan's \"dry_run\": true)")
    boolean dryRun;

    @Option(names = "--reports", paramLabel = "DIR", description = "when the drill ends, also write its evidence report "
            + "(report.json, report.html) and decision log to DIR/<drill_id>/ (it always goes to <prefix>reports)")
    Path reportsDir;

    @Option(names = "--max-poll-records", defaultValue = "20000", description = "records per batch and transaction (default: ${DEFAULT-VALUE})")
    int maxPollRecords;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DrillPlan p = PlanFiles.load(plan);
        DrillPlan named = drillId == null ? p : p.withDrillId(drillId);
        DrillPlan drill = dryRun ? named.asDryRun() : named;
        StartPosition from = engineOptions.from(StartPosition.beforeStart(drill));
        Topics topics = kafka.topics();
        var client = kafka.reachableClient();
        String bootstrap = kafka.bootstrap();
        var out = spec.commandLine().getOut();
        ProgressPrinter printer = new ProgressPrinter(out);
        AtomicBoolean failed = new AtomicBoolean();
        try (SupervisedEngine engine = new SupervisedEngine(client, topics, engineOptions, printer, out)) {
            try {
                EngineWarmUp.run(drill); // the first real decisions then run compiled code
            } catch (RuntimeException e) {
                out.println("engine   warm-up skipped: " + DrillCli.oneLine(e));
            }
            PlanNotes.of(drill).forEach(n -> out.println("engine   note: " + n));
            if (drill.dryRun()) {
                out.println("engine   DRY RUN: commands go to " + topics.dryrunCommands() + " only; no actuator reads it");
            }
            out.println("engine   drill '" + drill.drillId() + "' (" + drill.drillType() + ") consuming " + topics.inputs()
                    + " on " + bootstrap + " (a first start from " + from.describe() + ", a restart where it committed); it starts on a start control event");
            out.flush();
            Decision last = engine.run(drill.drillId(), maxPollRecords, from, () -> new DrillCore(drill), drill.signers())
                    .doOnNext(printer::print)
                    .doOnNext(d -> failed.compareAndSet(false, d instanceof Verdict v && v.failed()))
                    .takeUntil(d -> d instanceof PhaseChange pc && pc.to().terminal())
                    .blockLast();
            if (last == null) { // recovery found the drill over: it ended before this start
                out.println("engine   drill '" + drill.drillId() + "' had ended before this start: nothing more to decide;"
                        + " its report is rebuilt from the journal");
                DrillReports.Rebuilt rebuilt = DrillReports.publishAndWrite(drill, client, topics, reportsDir,
                        engine.committedState(drill.drillId()), out);
                return rebuilt != null && passed(rebuilt.decisions()) ? DrillCli.OK : DrillCli.VERDICT_FAILED;
            }
            printer.verdictTable();
            DrillReports.publishAndWrite(drill, client, topics, reportsDir, engine.committedState(drill.drillId()), out);
            boolean done = last instanceof PhaseChange pc && pc.to() == Phase.DONE;
            return done && !failed.get() ? DrillCli.OK : DrillCli.VERDICT_FAILED;
        }
    }

    /** Whether a committed decision log (JSON lines) ends the drill done with no verdict failed. */
    static boolean passed(byte[] decisionLog) {
        boolean done = false;
        for (String line : new String(decisionLog, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                Decision d = io.failoverdrill.schemas.Codec.decodeDecision(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (d instanceof Verdict v && v.failed()) {
                    return false;
                }
                done = d instanceof PhaseChange pc ? pc.to() == Phase.DONE : done;
            }
        }
        return done;
    }
}

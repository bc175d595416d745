package io.failoverdrill.cli;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.plan.DrillPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code drill run --plan P --bootstrap-servers B}: the engine alone, against an existing cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the engine for one drill plan against an existing Kafka cluster (production use).")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--plan", required = true, description = "plan JSON file")
    Path plan;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers")
    String bootstrap;

    @Option(names = "--topic-prefix", defaultValue = "drill.", description = "topic name prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--replication-factor", defaultValue = "3", description = "for topics the engine creates (default: ${DEFAULT-VALUE})")
    short replicationFactor;

    @Option(names = "--drill-id", description = "override the plan's drill_id")
    String drillId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DrillPlan p = PlanFiles.load(plan);
        if (drillId != null) {
            p = p.withDrillId(drillId);
        }
        Topics topics = new Topics(prefix);
        TopicProvisioner.ensure(bootstrap, topics, replicationFactor);
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, p.drillId());
        DrillRuntime runtime = new DrillRuntime(new DrillCore(p), log, null);
        AtomicBoolean failed = new AtomicBoolean();
        ProgressPrinter printer = new ProgressPrinter(spec.commandLine().getOut());
        spec.commandLine().getOut().println("engine for drill '" + p.drillId() + "' consuming " + topics.inputs()
                + " on " + bootstrap + "; waiting for a start control event");
        Decision last = runtime.run()
                .doOnNext(printer::print)
                .doOnNext(d -> failed.compareAndSet(false, d instanceof Verdict v && !v.pass()))
                .takeUntil(d -> d instanceof PhaseChange pc && pc.to().name().matches("DONE|ABORTED"))
                .blockLast();
        log.close();
        printer.verdictTable();
        boolean done = last instanceof PhaseChange pc && pc.to().name().equals("DONE");
        return done && !failed.get() ? DrillCli.OK : DrillCli.VERDICT_FAILED;
    }
}

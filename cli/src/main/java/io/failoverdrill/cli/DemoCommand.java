package io.failoverdrill.cli;

import io.failoverdrill.schemas.plan.DrillPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code drill demo}: a whole drill on an embedded broker with simulated regions; exit 0 when every verdict passes. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a drill end to end: embedded Kafka broker, two simulated regions, probes, actuator, engine.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--drill", defaultValue = "brownout", description = "drill type (default: ${DEFAULT-VALUE}; available: brownout)")
    String drill;

    @Option(names = "--plan", description = "plan file (default: the bundled plans/demo-<drill>.json)")
    Path plan;

    @Option(names = "--bootstrap-servers", description = "use this Kafka cluster instead of starting the embedded broker")
    String bootstrap;

    @Option(names = "--topic-prefix", defaultValue = "drill.", description = "topic name prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--timeout-s", defaultValue = "150", description = "give up after this many seconds (default: ${DEFAULT-VALUE})")
    long timeoutS;

    @Option(names = "--brownout-ms", defaultValue = "200", description = "latency the drill adds to the evacuated region (default: ${DEFAULT-VALUE})")
    double brownoutMs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (!drill.equals("brownout")) {
            throw new IllegalArgumentException("--drill " + drill + " is not available yet (available: brownout)");
        }
        DrillPlan p = plan == null ? PlanFiles.bundled("demo-" + drill) : PlanFiles.load(plan);
        DemoDrill demo = new DemoDrill(spec.commandLine().getOut());
        AtomicBoolean closed = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (closed.compareAndSet(false, true)) {
                demo.close();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DemoDrill.Result r = demo.run(p, bootstrap, prefix, Duration.ofSeconds(timeoutS), brownoutMs);
            spec.commandLine().getOut().println(r.passed() ? "drill PASSED" : "drill FAILED (phase " + r.finalPhase().wire() + ")");
            return r.passed() ? DrillCli.OK : DrillCli.VERDICT_FAILED;
        } finally {
            if (closed.compareAndSet(false, true)) {
                demo.close();
            }
        }
    }
}

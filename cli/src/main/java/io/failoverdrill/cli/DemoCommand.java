package io.failoverdrill.cli;

import io.failoverdrill.kafka.embedded.EmbeddedKafka;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code drill demo}: a whole drill on an embedded broker with simulated regions; exit 0 when every verdict passes. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a drill end to end: embedded Kafka broker, two simulated regions, probes, actuator, engine.")
final class DemoCommand implements Callable<Integer> {
    /** The {@code --drill} values: every drill type, or {@code all}. */
    static final class DrillChoices implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            List<String> all = new java.util.ArrayList<>(DrillType.wireNames());
            all.add("all");
            return all.iterator();
        }
    }

    @Option(names = "--drill", defaultValue = "brownout", completionCandidates = DrillChoices.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String drill;

    @Option(names = "--plan", description = "plan file (default: the bundled plans/demo-<drill>.json)")
    Path plan;

    @Mixin
    KafkaOptions kafka; // --bootstrap-servers: use this cluster instead of starting the embedded broker

    @Option(names = "--timeout-s", defaultValue = "150", description = "give up on a drill after this many seconds (default: ${DEFAULT-VALUE})")
    long timeoutS;

    @Option(names = "--brownout-ms", defaultValue = "200", description = "latency the drill adds to the evacuated region (default: ${DEFAULT-VALUE})")
    double brownoutMs;

    @Option(names = "--break", paramLabel = "FAULT",
            description = "negative control: split_brain, no_rebuild, duplicate_webhooks, write_loss, slow_survivor, survivor_down "
                    + "or silent_stick (not with --haproxy); the matching verdict must fail (exit 1)")
    String breakage;

    @Option(names = "--haproxy", description = "put a real HAProxy (installed: Debian's haproxy) in front of the regions: "
            + "users and probes go through it and set_weights moves its server weights through its runtime API")
    boolean haproxy;

    @Option(names = "--report-dir", defaultValue = "reports",
            description = "each drill's report.json and report.html go to DIR/<drill_id>/ (default: ${DEFAULT-VALUE})")
    Path reportDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        List<DrillType> drills;
        try {
            drills = drill.equals("all") ? List.of(DrillType.values()) : List.of(DrillType.fromWire(drill));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--drill " + drill + " is not one of " + String.join(", ", new DrillChoices()));
        }
        Breakage broken = breakage == null ? null : Breakage.parse(breakage);
        if (broken != null && (drills.size() > 1 || !broken.drills().contains(drills.get(0)))) {
            throw new IllegalArgumentException("--break " + broken.wire() + " goes with --drill "
                    + String.join("|", broken.drills().stream().map(DrillType::wire).toList()));
        }
        if (broken == Breakage.SILENT_STICK && haproxy) {
            throw new IllegalArgumentException("--break silent_stick goes without --haproxy: HAProxy announces the stick itself");
        }
        if (plan != null && drills.size() > 1) {
            throw new IllegalArgumentException("--plan goes with one --drill, not with all");
        }
        Path haproxyBinary = haproxy ? io.failoverdrill.sim.HaproxyFront.binary().orElseThrow(() -> new IllegalArgumentException(
                "--haproxy: no haproxy on the PATH or in /usr/sbin (Debian: apt-get install haproxy)")) : null;
        var out = spec.commandLine().getOut();
        List<DemoDrill> running = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        EmbeddedKafka[] shared = new EmbeddedKafka[1];
        Runnable closeAll = () -> {
            if (closed.compareAndSet(false, true)) {
                running.forEach(DemoDrill::close);
                if (shared[0] != null) {
                    shared[0].close();
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(closeAll, "demo-shutdown"));
        try {
            Map<String, Object> servers = kafka.hasBootstrap() ? kafka.reachableClient() : null;
            if (servers == null && drills.size() > 1) {
                shared[0] = EmbeddedKafka.start(); // one broker for the whole sequence
                servers = io.failoverdrill.engine.kafka.ClientProperties.of(shared[0].bootstrapServers());
            }
            Map<DrillType, String> results = new LinkedHashMap<>();
            for (DrillType type : drills) {
                out.println();
                out.println("=== drill " + type + " ===");
                DrillPlan p = plan == null ? PlanFiles.bundled("demo-" + type) : PlanFiles.load(plan);
                DemoDrill demo = new DemoDrill(out);
                if (haproxyBinary != null) {
                    demo.throughHaproxy(haproxyBinary);
                }
                running.add(demo);
                String topicPrefix = drills.size() > 1 ? kafka.prefix + type + "." : kafka.prefix;
                DemoDrill.Result r = demo.run(p, servers, topicPrefix, Duration.ofSeconds(timeoutS), brownoutMs, broken);
                demo.report(r, reportDir.resolve(r.drillId()));
                demo.close();
                running.remove(demo);
                List<String> failed = r.decisions().stream()
                        .filter(d -> d instanceof io.failoverdrill.schemas.decision.Verdict v && v.failed())
                        .map(d -> ((io.failoverdrill.schemas.decision.Verdict) d).check()).distinct().toList();
                results.put(type, r.passed() ? "PASSED" : "FAILED: " + (failed.isEmpty() ? "phase " + r.finalPhase().wire()
                        : String.join(", ", failed) + " failed") + (broken == null ? "" : " (the injected " + broken.wire()
                        + (failed.contains(broken.verdict()) ? " was caught)" : " was NOT caught by " + broken.verdict() + ")")));
                out.println("drill " + type + " " + results.get(type));
            }
            if (drills.size() > 1) {
                out.println();
                results.forEach((t, r) -> out.printf("%-16s %s%n", t, r));
            }
            return results.values().stream().allMatch("PASSED"::equals) ? DrillCli.OK : DrillCli.VERDICT_FAILED;
        } finally {
            closeAll.run();
        }
    }
}

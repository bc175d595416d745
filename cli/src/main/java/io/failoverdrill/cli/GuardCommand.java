package io.failoverdrill.cli;

import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.GuardPolicy;
import io.failoverdrill.schemas.plan.PlanDecoder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers")
    String bootstrap;

    @Mixin
    TopicOptions topicOptions;

    @Option(names = "--replication-factor", defaultValue = "3", description = "for topics the guard creates (default: ${DEFAULT-VALUE})")
    short replicationFactor;

    @Option(names = "--metrics-port", defaultValue = "-1", description = "serve Prometheus text on http://0.0.0.0:PORT/metrics (default off)")
    int metricsPort;

    @Option(names = "--status-every-s", defaultValue = "10", description = "print a status line (p95 and error rate per region) this often; 0 = never (default: ${DEFAULT-VALUE})")
    int statusEveryS;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DrillPlan guard;
        try {
            guard = GuardPolicy.decode(Files.readAllBytes(policy));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("policy file not found: " + policy);
        } catch (PlanDecoder.PlanInvalid e) {
            e.violations().forEach(v -> spec.commandLine().getErr().println(policy + ": " + v.getMessage()));
            return DrillCli.USAGE;
        }
        Topics topics = topicOptions.topics();
        TopicProvisioner.ensure(bootstrap, topics, replicationFactor);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsEndpoint endpoint = metricsPort >= 0 ? new MetricsEndpoint(meters, metricsPort) : null;
        var out = spec.commandLine().getOut();
        out.println("guard    '" + guard.drillId() + "' watching " + guard.regions() + ": clamp when p95 > "
                + guard.detect().p95Ms() + " ms or ΔS > " + guard.ragProbe().deltaSRisk() + " for "
                + guard.routing().hysteresisS() + " s (window " + guard.detect().windowS() + " s); commands on "
                + topics.clampCommands());
        out.flush();
        List<KafkaEventLog> logs = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<io.failoverdrill.engine.runtime.DrillRuntime> current = new java.util.concurrent.atomic.AtomicReference<>();
        AutoCloseable status = StatusLines.every(statusEveryS, new ProgressPrinter(out), current);
        try {
            RunCommand.supervised(bootstrap, topics, guard.drillId(), 20_000, meters, () -> new GuardCore(guard), logs, out, current)
                    .doOnNext(d -> {
                        if (d instanceof io.failoverdrill.schemas.decision.Command c) {
                            out.println("command  " + io.failoverdrill.schemas.Timestamps.format(c.tsMs()) + " " + c.type() + " "
                                    + io.failoverdrill.schemas.CanonicalJson.string(c.body().fields()) + " (" + c.reason().rule() + ")");
                            out.flush();
                        }
                    })
                    .blockLast();
            return DrillCli.OK;
        } finally {
            StatusLines.close(status);
            logs.forEach(KafkaEventLog::close);
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }
}

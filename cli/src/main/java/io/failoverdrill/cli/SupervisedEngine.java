package io.failoverdrill.cli;

import io.failoverdrill.engine.core.DecisionCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.Supervisor;
import io.failoverdrill.schemas.decision.Decision;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What {@code drill run} and {@code drill guard} share: the topics provisioned, Prometheus meters (served on
 * {@code metricsPort} when ≥ 0), status lines, and the supervised engine loop — a fresh core over a fresh Kafka event
 * log, restarted with backoff (1 s … 30 s) after a failure, never after being fenced or superseded by another engine
 * with the same id. Closing stops the status lines, the event logs and the metrics endpoint.
 */
final class SupervisedEngine implements AutoCloseable {
    private final String bootstrap;
    private final Topics topics;
    private final PrintWriter out;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MetricsEndpoint endpoint;
    private final List<KafkaEventLog> logs = new CopyOnWriteArrayList<>();
    private final AtomicReference<DrillRuntime> current = new AtomicReference<>();
    private final AutoCloseable status;

    SupervisedEngine(String bootstrap, Topics topics, EngineOptions options, ProgressPrinter printer, PrintWriter out) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.out = out;
        TopicProvisioner.ensure(bootstrap, topics, options.replicationFactor);
        this.endpoint = options.metricsPort >= 0 ? new MetricsEndpoint(meters, options.metricsPort) : null;
        if (endpoint != null) {
            out.println("metrics  http://0.0.0.0:" + endpoint.port() + "/metrics");
        }
        this.status = StatusLines.every(options.statusEveryS, printer, current);
    }

    /** The decisions of the engine {@code id}, each after its transaction committed. */
    Flux<Decision> run(String id, int maxPollRecords, Supplier<DecisionCore> core) {
        return Supervisor.supervise(() -> {
                    KafkaEventLog log = new KafkaEventLog(bootstrap, topics, id,
                            new KafkaEventLog.Options(maxPollRecords, meters, (b, s) -> { }));
                    if (!logs.isEmpty()) { // a restart: never take the drill back from a newer engine
                        log.takeOverOnlyFrom(logs.get(logs.size() - 1).committedBatches());
                    }
                    logs.add(log);
                    DrillRuntime runtime = new DrillRuntime(core.get(), log, meters);
                    current.set(runtime);
                    return runtime;
                }, Duration.ofSeconds(1), Duration.ofSeconds(30), Supervisor::fenced,
                e -> {
                    out.println("engine   restarting after: " + DrillCli.oneLine(e));
                    out.flush();
                }, Schedulers.parallel());
    }

    @Override
    public void close() {
        StatusLines.close(status);
        logs.forEach(KafkaEventLog::close);
        if (endpoint != null) {
            endpoint.close();
        }
    }
}

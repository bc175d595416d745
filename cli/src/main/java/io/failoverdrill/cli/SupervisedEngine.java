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
import java.util.Map;
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
    private final Map<String, Object> client;
    private final Topics topics;
    private final PrintWriter out;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MetricsEndpoint endpoint;
    private final List<KafkaEventLog> logs = new CopyOnWriteArrayList<>();
    private final AtomicReference<DrillRuntime> current = new AtomicReference<>();
    private final AutoCloseable status;

    SupervisedEngine(Map<String, Object> client, Topics topics, EngineOptions options, ProgressPrinter printer, PrintWriter out) {
        this.client = client;
        this.topics = topics;
        this.out = out;
        TopicProvisioner.ensure(client, topics, options.replicationFactor);
        this.endpoint = options.metricsPort >= 0 ? new MetricsEndpoint(meters, options.metricsPort) : null;
        if (endpoint != null) {
            out.println("metrics  http://0.0.0.0:" + endpoint.port() + "/metrics");
        }
        this.status = StatusLines.every(options.statusEveryS, printer, current);
    }

    /** The decisions of the engine {@code id}, each after its transaction committed. */
    Flux<Decision> run(String id, int maxPollRecords, Supplier<DecisionCore> core) {
        return Supervisor.supervise(() -> {
                    KafkaEventLog log = new KafkaEventLog(client, topics, id,
                            new KafkaEventLog.Options(maxPollRecords, meters, (b, s) -> { }));
                    if (!logs.isEmpty()) { // a restart: never take the drill back from a newer engine
                        log.takeOverOnlyFrom(logs.get(logs.size() - 1).committedBatches());
                    }
                    logs.add(log);
                    DrillRuntime runtime = new DrillRuntime(core.get(), log, meters).onRejected(this::rejected);
                    current.set(runtime);
                    return runtime;
                }, Duration.ofSeconds(1), Duration.ofSeconds(30), Supervisor::fenced,
                e -> {
                    out.println("engine   restarting after: " + DrillCli.oneLine(e));
                    out.flush();
                }, Schedulers.parallel());
    }

    /** One console line per rejected control or ack record: a malformed start must not pass unnoticed. */
    private void rejected(io.failoverdrill.engine.runtime.InboundRecord r, io.failoverdrill.schemas.ContractViolation v) {
        String value = r.value() == null ? "" : new String(r.value(), 0, Math.min(r.value().length, 4096),
                java.nio.charset.StandardCharsets.UTF_8);
        boolean controlOrAck = !r.topic().equals(topics.telemetry())
                || value.contains("\"type\":\"control\"") || value.contains("\"type\":\"ack\"");
        if (controlOrAck) {
            out.println("rejected " + r.topic() + "/" + r.partition() + "@" + r.offset() + " (to " + topics.dlq() + "): "
                    + v.getMessage());
            out.flush();
        }
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

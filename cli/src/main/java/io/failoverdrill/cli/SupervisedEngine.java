package io.failoverdrill.cli;

import io.failoverdrill.engine.core.DecisionCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.StartPosition;
import io.failoverdrill.engine.kafka.AclPlan;
import io.failoverdrill.engine.kafka.TopicPermissions;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.InputAuthorizer;
import io.failoverdrill.schemas.sign.KeySet;
import io.failoverdrill.schemas.sign.SigningKey;
import io.failoverdrill.schemas.sign.WatchedFile;
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
import java.util.function.Supplier;

/**
 * What {@code drill run} and {@code drill guard} share: the topic layout checked, Prometheus meters (served on
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
    /** Per drill or guard id: its event logs, the latest last (each restart makes a new one). */
    private final Map<String, List<KafkaEventLog>> logs = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per drill or guard id: its runtime now. */
    private final Map<String, DrillRuntime> runtimes = new java.util.concurrent.ConcurrentHashMap<>();
    /** The {@code drill serve} instance hosting these engines (named in their consumers' client ids), or null. */
    private String host;
    /** Besides every engine being recovered and positioned, what readiness needs (serve: it has joined its group). */
    private java.util.function.BooleanSupplier alsoReady = () -> true;
    private final AutoCloseable status;
    private final WatchedFile<SigningKey> signingKey;
    private final WatchedFile<KeySet> keys;
    /** How often a snapshotting core (a guard) writes a snapshot: records, interval. */
    private long snapshotEveryRecords = DrillRuntime.DEFAULT_SNAPSHOT_EVERY_RECORDS;
    private Duration snapshotEvery = Duration.ofSeconds(DrillRuntime.DEFAULT_SNAPSHOT_EVERY_S);

    /** Snapshots (guards) after {@code records} consumed records or {@code every}, whichever comes first. */
    SupervisedEngine snapshotEvery(long records, Duration every) {
        this.snapshotEveryRecords = records;
        this.snapshotEvery = every;
        return this;
    }

    /** For {@code drill serve}: the instance hosting the engines, and what else its readiness needs. */
    SupervisedEngine hostedBy(String instance, java.util.function.BooleanSupplier ready) {
        this.host = instance;
        this.alsoReady = ready;
        return this;
    }

    SupervisedEngine(Map<String, Object> client, Topics topics, EngineOptions options, ProgressPrinter printer, PrintWriter out) {
        this.client = client;
        this.topics = topics;
        this.out = out;
        this.signingKey = options.signingKey == null ? null : new WatchedFile<>(options.signingKey, SigningKey::load,
                (before, after) -> say("engine   signing key now " + after.kid() + " (was " + before.kid() + ")"),
                why -> say("engine   keeps signing with the key in use: " + why));
        if (signingKey != null) {
            out.println("engine   signing commands with " + signingKey.get().kid());
        }
        this.keys = options.keyset == null ? null : WatchedFile.keySet(options.keyset, line -> say("engine   " + line));
        if (keys != null) {
            out.println("engine   stops and control events must be signed: " + keys.get().summary());
        }
        // the engine creates nothing (no CREATE rights needed): the layout is the admin's step, 'drill topics apply'
        TopicPermissions.check(client, topics, AclPlan.Role.ENGINE); // first: without DESCRIBE the layout check cannot look
        TopicProvisioner.verify(client, topics, TopicProvisioner.specs(topics).stream().map(TopicProvisioner.TopicSpec::name).toList());
        this.endpoint = options.metricsPort >= 0 ? new MetricsEndpoint(meters, options.metricsPort, this::ready) : null;
        if (endpoint != null) {
            out.println("metrics  http://0.0.0.0:" + endpoint.port() + "/metrics (and /health)");
        }
        // status lines are for the one engine of drill run / drill guard; drill serve has drill list
        this.status = StatusLines.every(options.statusEveryS, printer, () -> host == null && runtimes.size() == 1
                ? runtimes.values().iterator().next() : null);
    }

    /**
     * Ready (for {@code /health}): at least one engine, or a serve instance that has joined its group, and every
     * engine recovered and consuming from where it should.
     */
    private boolean ready() {
        if (!alsoReady.getAsBoolean() || (host == null && runtimes.isEmpty())) {
            return false;
        }
        for (Map.Entry<String, DrillRuntime> e : runtimes.entrySet()) {
            List<KafkaEventLog> mine = logs.getOrDefault(e.getKey(), List.of());
            if (!e.getValue().recovered() || mine.isEmpty() || !mine.get(mine.size() - 1).positioned()) {
                return false;
            }
        }
        return true;
    }

    /** The value of the drill {@code id}'s last committed state record (null: none, or a guard). */
    byte[] committedState(String id) {
        DrillRuntime runtime = runtimes.get(id);
        return runtime == null ? null : runtime.committedState();
    }

    /** Stops tracking the engine {@code id} (its run was disposed): closes its event logs and removes its meters. */
    void release(String id) {
        DrillRuntime runtime = runtimes.remove(id);
        if (runtime != null) {
            runtime.unregisterMeters();
        }
        List<KafkaEventLog> mine = logs.remove(id);
        if (mine != null) {
            mine.forEach(KafkaEventLog::close);
        }
    }

    /**
     * The decisions of the engine {@code id}, each after its transaction committed; a first start reads from {@code
     * from}, a restart resumes from the committed offsets.
     */
    Flux<Decision> run(String id, int maxPollRecords, StartPosition from, Supplier<DecisionCore> core) {
        return run(id, maxPollRecords, from, core, List.of());
    }

    /**
     * The decisions of the engine {@code id}, whose control events only {@code controlSigners} may sign (empty:
     * anyone); each after its transaction committed; a first start reads from {@code from}.
     */
    Flux<Decision> run(String id, int maxPollRecords, StartPosition from, Supplier<DecisionCore> core,
                       List<String> controlSigners) {
        new InputAuthorizer(keys, controlSigners, System::currentTimeMillis); // signers without a key set: exit 2 now
        // each (re)started runtime gets its own authorizer: recovery rebuilds which stops are in force
        return Supervisor.supervise(() -> {
                    KafkaEventLog log = new KafkaEventLog(client, topics, id,
                            new KafkaEventLog.Options(maxPollRecords, meters, (b, s) -> { }, from).hostedBy(host));
                    List<KafkaEventLog> mine = logs.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
                    if (!mine.isEmpty()) { // a restart: never take the drill back from a newer engine
                        KafkaEventLog last = mine.get(mine.size() - 1);
                        log.takeOverOnlyFrom(last.committedBatches(), last.batchesInDoubt());
                    }
                    mine.add(log);
                    long startedNanos = System.nanoTime(); // for the console line only
                    DrillRuntime runtime = new DrillRuntime(core.get(), log, meters).onRejected(this::rejected)
                            .snapshotEvery(snapshotEveryRecords, snapshotEvery)
                            .onRecovered(r -> {
                                if (r.fromSnapshot() || r.records() > 0) {
                                    say("engine   recovered '" + id + "' from " + (r.fromSnapshot()
                                            ? "its snapshot after batch " + (r.firstBatch() - 1) + " and " : "its journal: ")
                                            + r.records() + " journaled records re-fed, in " + String.format(java.util.Locale.ROOT,
                                            "%.1f s", (System.nanoTime() - startedNanos) / 1e9));
                                }
                            })
                            .signWith(signingKey == null ? () -> null : signingKey)
                            .authorizeWith(new InputAuthorizer(keys, controlSigners, System::currentTimeMillis));
                    if (host != null) { // drill serve: its group reports bad input once (GroupDeadLetters)
                        runtime.undecodableReportedElsewhere();
                    }
                    runtimes.put(id, runtime);
                    return runtime;
                }, Duration.ofSeconds(1), Duration.ofSeconds(30), t -> Supervisor.fenced(t) || Supervisor.unauthorized(t),
                e -> say("engine   " + (host == null ? "" : "'" + id + "' ") + "restarting after: " + DrillCli.oneLine(e)),
                Schedulers.parallel());
    }

    private void say(String line) {
        DrillCli.say(out, line);
    }

    /** One console line per rejected control or ack record: a malformed start must not pass unnoticed. */
    private void rejected(io.failoverdrill.engine.runtime.InboundRecord r, io.failoverdrill.schemas.ContractViolation v) {
        String value = r.value() == null ? "" : new String(r.value(), 0, Math.min(r.value().length, 4096),
                java.nio.charset.StandardCharsets.UTF_8);
        boolean controlOrAck = !r.topic().equals(topics.telemetry())
                || value.contains("\"type\":\"control\"") || value.contains("\"type\":\"ack\"");
        if (controlOrAck) {
            say("rejected " + r.topic() + "/" + r.partition() + "@" + r.offset() + " (to " + topics.dlq() + "): "
                    + v.getMessage());
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        StatusLines.close(status);
        logs.values().forEach(mine -> mine.forEach(KafkaEventLog::close));
        if (endpoint != null) {
            endpoint.close();
        }
    }
}

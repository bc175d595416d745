package io.failoverdrill.cli;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.core.drill.DrillScripts;
import io.failoverdrill.engine.core.drill.Scenario;
import io.failoverdrill.engine.kafka.ClientProperties;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.replay.TopicReplay;
import io.failoverdrill.engine.report.ReportBuilder;
import io.failoverdrill.engine.report.ReportFiles;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.kafka.embedded.EmbeddedKafka;
import io.failoverdrill.probes.KafkaTelemetrySink;
import io.failoverdrill.probes.ProbeTarget;
import io.failoverdrill.probes.RegionProbe;
import io.failoverdrill.probes.RagProbe;
import io.failoverdrill.rag.GoldSet;
import io.failoverdrill.sim.RetrievalIndexes;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.sign.KeySet;
import io.failoverdrill.schemas.sign.SigningKey;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.rag.IndexArtifact;
import io.failoverdrill.actuators.ActuatorLoop;
import io.failoverdrill.actuators.HaproxyActuator;
import io.failoverdrill.sim.FaultListener;
import io.failoverdrill.sim.HaproxyFront;
import io.failoverdrill.sim.RegionProfile;
import io.failoverdrill.sim.SimActuator;
import io.failoverdrill.probes.AppTelemetry;
import io.failoverdrill.sim.SimRegion;
import io.failoverdrill.sim.WebhookEmitter;
import io.failoverdrill.sim.WeightedRouter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.Disposable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo: a real Kafka broker (embedded, or the one given), two simulated regions on loopback, a weighted router
 * sending user traffic, two probe observers per region, the sim actuator, and the engine — then a planned
 * evacuation of {@code us-east} driven entirely through Kafka. Closing stops everything it started, in reverse.
 */
public final class DemoDrill implements AutoCloseable {
    /** How the demo ended. */
    /**
     * {@code balancerWeights}: the weights the load balancer holds at the end — the router's own, or those HAProxy
     * reports ({@code show servers state}) when it is in front.
     */
    public record Result(List<Decision> decisions, Phase finalPhase, Map<String, Long> routedRequests,
                         Map<String, Integer> balancerWeights, String drillId, Map<String, Object> client, Topics topics,
                         DrillPlan plan) {
        public boolean passed() {
            return finalPhase == Phase.DONE && decisions.stream().noneMatch(d -> d instanceof Verdict v && v.failed());
        }
    }

    /** Each gold question is asked once per this period, per region. */
    static final Duration RAG_PERIOD = Duration.ofSeconds(10);
    /** How often the demo prints a status line (phase, countdown, dwell, signals). */
    static final Duration STATUS_EVERY = Duration.ofSeconds(5);
    /** What HAProxy applies when it is in front: the traffic split and session stickiness. */
    static final java.util.Set<String> HAPROXY_COMMANDS = java.util.Set.of("set_weights", "stick");
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private volatile Breakage breakage;
    private Map<String, SimRegion> simRegions = Map.of();
    private final PrintWriter out;
    private Path haproxy;
    private RequestTelemetry requestTelemetry;

    /**
     * Another source of the regions' {@code request} telemetry (an application instrumented with OpenTelemetry, say):
     * started with each region's address — the one probes measure — once the probes run; what it returns is closed
     * with the demo.
     */
    public interface RequestTelemetry {
        AutoCloseable start(Map<String, java.net.URI> regions, Map<String, Object> client, Topics topics) throws Exception;
    }

    public DemoDrill(PrintWriter out) {
        this.out = out;
    }

    /**
     * Puts a real HAProxy ({@code binary}, its own process) in front of the regions: user traffic enters its frontend,
     * probes measure through its per-region frontends, and {@code set_weights} / {@code stick} go to its runtime API
     * through the HAProxy actuator instead of the built-in router.
     */
    public DemoDrill throughHaproxy(Path binary) {
        this.haproxy = binary;
        return this;
    }

    /** Takes request telemetry from {@code source}; the probes then only read status and send heartbeats. */
    public DemoDrill requestsFrom(RequestTelemetry source) {
        this.requestTelemetry = source;
        return this;
    }

    private <T extends AutoCloseable> T started(T thing) {
        started.push(thing);
        return thing;
    }

    /**
     * Runs one drill. {@code client} (the Kafka client properties) null = start the embedded broker; {@code brownoutMs} is the
     * latency the drill's fault adds to the evacuated region once evacuation begins.
     */
    public Result run(DrillPlan basePlan, Map<String, Object> client, String topicPrefix, Duration timeout,
                      double brownoutMs) throws InterruptedException {
        return run(basePlan, client, topicPrefix, timeout, brownoutMs, null);
    }

    /** As {@link #run(DrillPlan, String, String, Duration, double)}, with a negative control injected ({@code breakage}). */
    public Result run(DrillPlan basePlan, Map<String, Object> clientProperties, String topicPrefix, Duration timeout,
                      double brownoutMs, Breakage breakage) throws InterruptedException {
        long t0 = System.currentTimeMillis();
        this.breakage = breakage;
        DrillPlan plan = basePlan.withDrillId(basePlan.drillId() + "-" + t0);
        Map<String, Object> client = clientProperties;
        if (client == null) {
            client = ClientProperties.of(started(EmbeddedKafka.start()).bootstrapServers());
            say("broker   in-JVM KRaft Kafka at " + ClientProperties.bootstrap(client) + " (ready in "
                    + (System.currentTimeMillis() - t0) + " ms)");
        } else {
            say("broker   using " + ClientProperties.bootstrap(client));
        }
        Topics topics = new Topics(topicPrefix);
        TopicProvisioner.ensure(client, topics, (short) 1);

        KafkaTelemetrySink sink = started(new KafkaTelemetrySink(client, topics.telemetry()));
        AppTelemetry simEvents = new AppTelemetry(sink::publish, "sim-ledger", System::currentTimeMillis);
        Scenario scenario = DrillScripts.scenario(plan.drillType());
        Map<String, SimRegion> regions = new LinkedHashMap<>();
        long seed = 20261129L;
        IndexArtifact artifact = io.failoverdrill.sim.RetrievalIndexes.standard(t0 - 86_400_000L);
        for (String name : plan.regions()) {
            double median = name.equals(plan.evacuate()) ? 40 : 45;
            SimRegion region = started(new SimRegion(new RegionProfile(name, median, 0.25, 0.5, 0.0, seed++), artifact));
            region.setEvents(simEvents);
            regions.put(name, region);
        }
        regions.values().forEach(r -> r.setPeers(regions));
        simRegions = regions;
        regions.get(plan.evacuate()).ledger().promote();
        Map<String, Integer> even = new LinkedHashMap<>();
        plan.regions().forEach(r -> even.put(r, 100 / plan.regions().size()));
        even.merge(plan.evacuate(), 100 % plan.regions().size(), Integer::sum);
        HaproxyFront lb = haproxy == null ? null : startHaproxy(regions, even);
        Map<String, java.net.URI> probed = new LinkedHashMap<>();
        regions.forEach((name, r) -> probed.put(name, lb == null ? r.baseUri() : lb.region(name)));
        WeightedRouter router = started(lb == null ? new WeightedRouter(regions, even, 20, 40, seed)
                : WeightedRouter.throughBalancer(regions, lb.users(), probed, 20, 40, seed));
        router.start();
        WebhookEmitter webhooks = started(new WebhookEmitter(plan.evacuate(), simEvents));
        webhooks.start(1000);
        FaultListener faults = started(new FaultListener(client, topics.control(),
                topics.prefix() + "sim-faults." + plan.drillId(), regions, webhooks, brownoutMs, this::say));
        faults.start();
        KafkaProducer<String, byte[]> control = started(new KafkaProducer<>(ClientProperties.with(client,
                Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)), new StringSerializer(), new ByteArraySerializer()));
        if (scenario.timing() == Scenario.FaultTiming.BEFORE_START) {
            String eventId = fault(control, topics, plan, scenario.faultKind()); // the state the drill starts from
            if (!faults.awaitApplied(eventId, Duration.ofSeconds(20))) {
                say("fault    " + scenario.faultKind() + " was not applied within 20 s; the drill starts anyway");
            }
        }
        regions.values().forEach(r -> say("region   " + r.name() + " at " + r.baseUri() + " INDEX_HASH "
                + r.index().indexHash().substring(0, 12) + "… (metric " + r.index().metric() + ", analyzer " + r.index().analyzer() + ")"));

        // commands are signed as in production: a key for this run, the actuator trusting only it
        SigningKey signingKey = SigningKey.generate();
        KeySet trusted = new KeySet(List.of(new KeySet.Entry(signingKey.kid(), signingKey.publicKey(), "active", Long.MAX_VALUE)));
        say("signing  commands signed with " + signingKey.kid() + " (Ed25519); the actuator applies nothing else");
        SimActuator actuator = started(new SimActuator(new SimActuator.Wiring(client,
                List.of(topics.cutoverCommands(), topics.clampCommands()), topics.acks(), topics.prefix() + "actuator.sim." + plan.drillId(),
                () -> trusted),
                regions, router, webhooks, Map.of(artifact.indexHash(), artifact), "sim-actuator", this::say));
        if (lb != null) {
            actuator.leaving(HAPROXY_COMMANDS);
            HaproxyActuator haproxyActuator = new HaproxyActuator(lb.runtimeApi(), lb.backendMap());
            started(new ActuatorLoop(new ActuatorLoop.Wiring(client, List.of(topics.cutoverCommands(), topics.clampCommands()),
                    topics.acks(), topics.prefix() + "actuator.haproxy." + plan.drillId(), () -> trusted),
                    haproxyActuator, "haproxy-actuator", this::say)).start();
            say("actuator " + String.join(", ", HAPROXY_COMMANDS) + " → HAProxy's runtime API (" + lb.statsSocket()
                    + "); the rest → the sim actuator");
        }
        actuator.start();
        if (breakage != null) {
            switch (breakage) {
                case SPLIT_BRAIN -> {
                    actuator.breakFreeze();
                    router.ignoreWeightChangesForPinnedSessions();
                }
                case NO_REBUILD -> actuator.breakRebuild();
                case DUPLICATE_WEBHOOKS -> fault(control, topics, plan, "webhook_target_stale");
                case WRITE_LOSS -> { } // once the drill starts: its ledger window begins there
                case SLOW_SURVIVOR -> { } // injected when observation starts
                case SURVIVOR_DOWN -> { } // injected with the drill's own fault
                case SILENT_STICK -> regions.values().forEach(SimRegion::breakStickAnnouncement);
            }
            say("break    " + breakage.wire() + ": " + breakage.what() + " — expect " + breakage.verdict() + " to fail");
        }

        for (String observer : List.of("probe-a", "probe-b")) {
            for (SimRegion r : regions.values()) {
                started(new RegionProbe(new ProbeTarget(r.name(), probed.get(r.name()).resolve("/api"), probed.get(r.name()), false),
                        observer, requestTelemetry == null ? 10 : 0, Duration.ofSeconds(2), sink)).start();
            }
        }
        if (requestTelemetry != null) {
            try {
                started(requestTelemetry.start(probed, client, topics));
            } catch (Exception e) {
                throw new IllegalStateException("the request telemetry source did not start: " + DrillCli.oneLine(e), e);
            }
            say("requests from " + requestTelemetry + ", not from the probes' own timed requests");
        }
        say("probes   probe-a, probe-b → " + String.join(", ", regions.keySet()) + (lb == null ? "" : " (through HAProxy)")
                + (requestTelemetry == null ? " at 10 req/s each, plus" : ":") + " health/index/cache/backlog every second");
        GoldSet gold = GoldSet.bundled();
        for (SimRegion r : regions.values()) {
            started(new RagProbe(r.name(), probed.get(r.name()).resolve("/retrieve"), "probe-rag", gold, RetrievalIndexes.corpus(),
                    plan.ragProbe().k(), Duration.ofSeconds(5), sink)).start(RAG_PERIOD);
        }
        say("rag      probe-rag → " + String.join(", ", regions.keySet()) + ": " + gold.questions().size()
                + " gold questions × 4 phrasings every " + RAG_PERIOD.toSeconds() + " s (all-MiniLM-L6-v2, k=" + plan.ragProbe().k() + ")");

        DrillCore core = new DrillCore(plan);
        KafkaEventLog log = new KafkaEventLog(client, topics, plan.drillId(), KafkaEventLog.Options.DEFAULT);
        started(log::close);
        ProgressPrinter printer = new ProgressPrinter(out);
        List<Decision> decisions = new CopyOnWriteArrayList<>();
        CountDownLatch finished = new CountDownLatch(1);
        DrillRuntime runtime = new DrillRuntime(core, log, null).signWith(() -> signingKey);
        started(StatusLines.every((int) STATUS_EVERY.toSeconds(), printer, () -> runtime));
        Disposable engine = runtime.run().subscribe(d -> {
            decisions.add(d);
            printer.print(d);
            react(d, plan, scenario, regions, control, topics, brownoutMs);
            if (breakage == Breakage.WRITE_LOSS && d instanceof PhaseChange pc && pc.to() == Phase.PRECHECK) {
                regions.get(plan.promoteSurvivor()).loseForwardedWrite(3); // forwarding stops at the freeze: early
            }
            if (breakage == Breakage.SLOW_SURVIVOR && d instanceof PhaseChange pc && pc.to() == Phase.OBSERVE) {
                SimRegion survivor = regions.get(plan.promoteSurvivor());
                survivor.setFaults(survivor.faults().withBrownout(150));
                say("break    slow_survivor: +150 ms on " + plan.promoteSurvivor() + " now that it serves everyone");
            }
            if (d instanceof PhaseChange pc && (pc.to() == Phase.DONE || pc.to() == Phase.ABORTED)) {
                finished.countDown();
            }
        }, e -> {
            say("engine   stopped: " + DrillCli.oneLine(e));
            finished.countDown();
        });
        started(engine::dispose);
        say("engine   drill '" + plan.drillId() + "' (" + plan.drillType() + "), consuming " + topics.inputs());

        long deadline = System.currentTimeMillis() + 20_000;
        while (core.watermarkMs() == Long.MIN_VALUE && System.currentTimeMillis() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        send(control, topics, new ControlEvent("start-" + plan.drillId(), System.currentTimeMillis(), plan.drillId(), "start", null));
        say("control  start " + plan.drillId() + " (baseline " + plan.timeline().baselineS() + " s, observe "
                + plan.timeline().observeS() + " s, allowed lateness " + plan.allowedLatenessMs() + " ms)");

        boolean ended = finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            say("timeout  the drill did not finish within " + timeout.toSeconds() + " s");
        }
        printer.verdictTable();
        Map<String, Long> routed = router.sent();
        say("traffic  user requests " + (lb == null ? "routed" : "HAProxy sent") + " per region: " + routed
                + "; writes: " + router.writeOutcomes());
        Map<String, Integer> weights = router.weights();
        if (lb != null) {
            try {
                weights = new HaproxyActuator(lb.runtimeApi(), lb.backendMap()).observedWeights();
                say("lb       HAProxy's server weights now (show servers state " + HaproxyFront.BACKEND + "): " + weights);
            } catch (java.io.IOException | RuntimeException e) {
                say("lb       HAProxy's weights could not be read: " + DrillCli.oneLine(e));
                weights = Map.of();
            }
        }
        return new Result(List.copyOf(decisions), core.phase(), routed, weights, plan.drillId(), client, topics, plan);
    }

    /** HAProxy in front of {@code regions}, balancing users by {@code weights}; stopped on close. */
    private HaproxyFront startHaproxy(Map<String, SimRegion> regions, Map<String, Integer> weights) {
        try {
            Map<String, java.net.URI> bases = new LinkedHashMap<>();
            regions.forEach((name, r) -> bases.put(name, r.baseUri()));
            HaproxyFront lb = started(HaproxyFront.start(haproxy, bases, weights));
            say("lb       HAProxy " + lb.version() + ": users → " + lb.users() + " (backend " + HaproxyFront.BACKEND
                    + ", weights " + weights + ", sessions kept by X-Session); each region's own frontend "
                    + lb.backendMap().servers().keySet().stream().map(r -> r + " " + lb.region(r)).toList());
            return lb;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("HAProxy could not be started: " + DrillCli.oneLine(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while HAProxy was starting", e);
        }
    }

    /**
     * Writes the drill's evidence report into {@code dir}: the decisions the live engine emitted, over the input
     * records its journal says it consumed up to the one that ended the drill (so {@code drill replay --report} on
     * the same topics gives the same files).
     */
    public Path report(Result result, Path dir) {
        ReportBuilder report = new ReportBuilder(result.plan());
        TopicReplay.run(result.plan(), result.client(), result.topics(), Long.MIN_VALUE, Long.MAX_VALUE,
                java.io.OutputStream.nullOutputStream(), report::accept);
        Path html = ReportFiles.write(dir, report.build(result.decisions()));
        say("report   " + html.toAbsolutePath());
        return html;
    }

    /**
     * The drill's staged part, from its {@link Scenario} and the phases the engine announces: the fault at its
     * moment (when the region is evacuated, or one second after the baseline window), and the operator's repair once
     * the drill is verifying.
     */
    private void react(Decision d, DrillPlan plan, Scenario scenario, Map<String, SimRegion> regions,
                       KafkaProducer<String, byte[]> control, Topics topics, double brownoutMs) {
        if (!(d instanceof PhaseChange pc)) {
            return;
        }
        if (scenario.timing() == Scenario.FaultTiming.ON_EVACUATE && pc.to() == Phase.EVACUATE && brownoutMs > 0) {
            inject(control, topics, plan, scenario.faultKind(), brownoutMs);
        }
        if (scenario.timing() == Scenario.FaultTiming.AFTER_BASELINE && pc.to() == Phase.PRECHECK) {
            long at = pc.tsMs() + (plan.timeline().baselineS() + 1) * 1000L; // event time, which probes stamp from the clock
            Thread t = new Thread(() -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(Math.max(0, at - System.currentTimeMillis()));
                    inject(control, topics, plan, scenario.faultKind(), brownoutMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-fault");
            t.setDaemon(true);
            t.start();
            started(t::interrupt);
        }
        if (scenario.operatorRepairs() && pc.to() == Phase.VERIFY) {
            regions.get(plan.evacuate()).setFaults(io.failoverdrill.sim.Faults.NONE);
            send(control, topics, new ControlEvent("repair-" + plan.drillId(), System.currentTimeMillis(), plan.drillId(),
                    "repair_done", null));
            say("control  repair_done: " + plan.evacuate() + " repaired (fault cleared); the engine brings it home");
        }
    }

    private void inject(KafkaProducer<String, byte[]> control, Topics topics, DrillPlan plan, String kind, double brownoutMs) {
        fault(control, topics, plan, kind); // applied by the sim's fault listener
        if (breakage == Breakage.SURVIVOR_DOWN) {
            SimRegion survivor = simRegions.get(plan.promoteSurvivor());
            survivor.setFaults(survivor.faults().withBlackhole(true));
            say("break    survivor_down: " + plan.promoteSurvivor() + " drops every connection too");
        }
        String what = switch (kind) {
            case "brownout" -> "+" + (int) brownoutMs + " ms on " + plan.evacuate();
            case "blackhole" -> plan.evacuate() + " drops every connection";
            default -> plan.evacuate();
        };
        say("fault    " + kind + ": " + what + " (recorded as evidence, not as a health signal: the engine must see it in telemetry)");
    }

    /** Publishes a {@code fault} control event for the evacuated region; returns its event id. */
    private static String fault(KafkaProducer<String, byte[]> control, Topics topics, DrillPlan plan, String kind) {
        String eventId = "fault-" + kind + "-" + plan.drillId();
        send(control, topics, new ControlEvent(eventId, System.currentTimeMillis(), plan.drillId(), "fault",
                new ControlEvent.Fault(kind, plan.evacuate())));
        return eventId;
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, ControlEvent e) {
        producer.send(new ProducerRecord<>(topics.control(), e.drillId(), Codec.encode(e)));
        producer.flush();
    }

    private void say(String line) {
        DrillCli.say(out, line);
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                say("shutdown: " + DrillCli.oneLine(e));
            }
        }
    }
}

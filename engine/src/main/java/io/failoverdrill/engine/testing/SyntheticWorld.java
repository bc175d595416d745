package io.failoverdrill.engine.testing;

import io.failoverdrill.engine.core.drill.DrillScripts;
import io.failoverdrill.engine.core.drill.Scenario;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A seeded model of a service's regions seen by several observers — the one way tests, the engine's warm-up and
 * the benchmarks build a world. Every 200 ms of event time each observer probes each region (latency, errors),
 * every second it reports health, index metadata, cache, backlog and a heartbeat, every 2 s one observer asks the
 * RAG probe set; users write (routed by weight) and a third party receives webhooks.
 *
 * <p>Closed loop ({@link #run}): the world feeds a {@link DrillTestDriver} and reacts to the commands it emits the
 * way real regions and actuators would — acks after a delay, traffic and writes follow the weights, frozen regions
 * enqueue and the new writer replays, webhooks follow {@code route_webhooks}, rebuilds fix a skewed index, purges
 * empty caches. It stages the drill type's {@link Scenario} (its fault, and the operator's repair) and whatever
 * {@link Setup} breaks on purpose. Open loop ({@link #nextEvents}): the same telemetry with nothing reacting.
 */
public final class SyntheticWorld {
    /** 2026-11-29T10:00:00.000Z, a whole second. */
    public static final long T0 = 1_795_946_400_000L;
    public static final List<String> OBSERVERS = List.of("obs-a", "obs-b", "obs-c");
    /** Every observer probes every region once per tick. */
    static final int TICK_MS = 200;
    static final List<String> ERROR_CLASSES = Telemetry.ERROR_CLASS_ORDER;

    /**
     * What to stage and what to break.
     *
     * @param downObservers      who sees the blackhole (a blackhole drill's fault)
     * @param flapPeriodS        &gt; 0: the blackhole comes and goes with this period
     * @param ackDelayMs         how long the actuator takes to apply a command
     * @param rejectPromote      the actuator rejects {@code promote_writer}
     * @param duplicateWebhooks  every fifth webhook is delivered twice, from two regions
     * @param loseWrite          write {@code w-30} is acknowledged and never applied
     * @param survivorSlowdown   latency factor of the survivor once it takes all traffic
     * @param requestsPerTick    requests per region and observer every 200 ms
     * @param errorShare         share of requests failing, spread over the error classes
     * @param tamper             changes (or drops, returning null) what the world reports: a test's own fault
     */
    public record Setup(long seed, Set<String> downObservers, int flapPeriodS, long ackDelayMs, boolean rejectPromote,
                        boolean duplicateWebhooks, boolean loseWrite, double survivorSlowdown, int requestsPerTick,
                        double errorShare, Tamper tamper) {
        /** A healthy world that stages only the drill's own scenario. */
        public static Setup of(long seed) {
            return new Setup(seed, Set.copyOf(OBSERVERS), 0, 1200, false, false, false, 1.0, 1, 0, Tamper.NONE);
        }

        public Setup withDown(Set<String> observers, int flapPeriodS) {
            return new Setup(seed, observers, flapPeriodS, ackDelayMs, rejectPromote, duplicateWebhooks, loseWrite,
                    survivorSlowdown, requestsPerTick, errorShare, tamper);
        }

        public Setup breaking(boolean rejectPromote, boolean duplicateWebhooks, boolean loseWrite, double survivorSlowdown) {
            return new Setup(seed, downObservers, flapPeriodS, ackDelayMs, rejectPromote, duplicateWebhooks, loseWrite,
                    survivorSlowdown, requestsPerTick, errorShare, tamper);
        }

        /** {@code requestsPerTick} requests per region and observer every 200 ms, {@code errorShare} of them failing. */
        public Setup withTraffic(int requestsPerTick, double errorShare) {
            return new Setup(seed, downObservers, flapPeriodS, ackDelayMs, rejectPromote, duplicateWebhooks, loseWrite,
                    survivorSlowdown, requestsPerTick, errorShare, tamper);
        }

        /** The actuator applies each command {@code ms} after it was decided (plus the watermark's lag). */
        public Setup withAckDelay(long ms) {
            return new Setup(seed, downObservers, flapPeriodS, ms, rejectPromote, duplicateWebhooks, loseWrite,
                    survivorSlowdown, requestsPerTick, errorShare, tamper);
        }

        /** Adds {@code t} after the tampering already set up. */
        public Setup withTamper(Tamper t) {
            return new Setup(seed, downObservers, flapPeriodS, ackDelayMs, rejectPromote, duplicateWebhooks, loseWrite,
                    survivorSlowdown, requestsPerTick, errorShare, tamper.andThen(t));
        }
    }

    /** What a test breaks in what the world reports: the event as it would be, or another, or null to drop it. */
    @FunctionalInterface
    public interface Tamper {
        Tamper NONE = (tsMs, region, observer, t) -> t;

        Telemetry apply(long tsMs, String region, String observer, Telemetry t);

        default Tamper andThen(Tamper next) {
            return (tsMs, region, observer, t) -> {
                Telemetry once = apply(tsMs, region, observer, t);
                return once == null ? null : next.apply(tsMs, region, observer, once);
            };
        }
    }

    private record Due(long tsMs, long order, Runnable action) {
    }

    private final DrillPlan plan;
    private final Setup setup;
    private final Scenario scenario;
    private final DrillTestDriver driver;
    private final String home;
    private final String survivor;
    private final SplittableRandom random;
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.tsMs != b.tsMs
            ? Long.compare(a.tsMs, b.tsMs) : Long.compare(a.order, b.order));
    private final List<InputEvent> emitted = new ArrayList<>();
    private long order;
    private long nextTickMs = T0;

    // the world's state, changed only by applied commands and the staged scenario
    private final Map<String, Integer> weights = new TreeMap<>();
    private String writer;
    private final Set<String> frozen = new TreeSet<>();
    private final Map<String, Deque<String>> queues = new TreeMap<>();
    private final Map<String, Long> enqueuedAt = new TreeMap<>();
    private String webhookFrom;
    /** The stick applied last: every response announces it (header {@code X-Stick-Region}) until it ends. */
    private String stickRegion;
    private long stickUntilMs = Long.MIN_VALUE;
    private final Set<String> skewed = new TreeSet<>();
    private final Map<String, Double> cacheHit = new TreeMap<>();
    private boolean brownout;
    private boolean promoted;
    private long blackholeFromMs = Long.MAX_VALUE;
    private boolean verified;
    private boolean repairSent;
    private long writeSeq;
    private long webhookSeq;

    private SyntheticWorld(DrillPlan plan, Setup setup, DrillTestDriver driver) {
        this.plan = plan;
        this.setup = setup;
        this.driver = driver;
        this.scenario = DrillScripts.scenario(plan.drillType());
        this.home = plan.evacuate();
        this.survivor = plan.promoteSurvivor();
        this.random = new SplittableRandom(setup.seed());
        this.writer = home;
        this.webhookFrom = home;
        int n = plan.regions().size();
        for (String r : plan.regions()) {
            weights.put(r, 100 / n + (r.equals(home) ? 100 % n : 0));
            queues.put(r, new ArrayDeque<>());
            cacheHit.put(r, r.equals(home) ? 0.92 : 0.93);
        }
        if (driver != null && scenario.timing() == Scenario.FaultTiming.BEFORE_START && scenario.faultKind().equals("index_skew")) {
            skewed.add(home);
        }
    }

    /** A world that feeds a drill of {@code plan} and reacts to its commands. */
    public static SyntheticWorld closedLoop(DrillPlan plan, Setup setup) {
        return closedLoop(DrillTestDriver.drill(plan), plan, setup);
    }

    /** A world that feeds {@code driver}, a drill of {@code plan}, and reacts to its commands. */
    public static SyntheticWorld closedLoop(DrillTestDriver driver, DrillPlan plan, Setup setup) {
        return new SyntheticWorld(plan, setup, driver);
    }

    /** A world whose telemetry nothing reacts to (weights, writers and faults never change). */
    public static SyntheticWorld openLoop(DrillPlan plan, Setup setup) {
        return new SyntheticWorld(plan, setup, null);
    }

    /** Runs a drill: a {@code start} at 1 s, then up to {@code maxSeconds} of event time, stopping 3 s after it ends. */
    public SyntheticWorld run(int maxSeconds) {
        control(T0 + 1000, "start", null);
        long endMs = T0 + maxSeconds * 1000L;
        long stopAt = Long.MAX_VALUE;
        while (nextTickMs < endMs && nextTickMs < stopAt) {
            long t = nextTickMs;
            runDue(t);
            tick(t);
            nextTickMs += TICK_MS;
            Phase p = driver.phase();
            if (p == Phase.DONE || p == Phase.ABORTED) {
                stopAt = Math.min(stopAt, t + 3000);
            }
        }
        return this;
    }

    /** Open loop: the next {@code n} telemetry events, continuing where the last call stopped. */
    public List<InputEvent> nextEvents(int n) {
        while (emitted.size() < n) {
            tick(nextTickMs);
            nextTickMs += TICK_MS;
        }
        List<InputEvent> out = new ArrayList<>(emitted.subList(0, n));
        emitted.subList(0, n).clear();
        return out;
    }

    /** The driver the closed-loop world fed (its inputs are the drill's event file, its decisions the log). */
    public DrillTestDriver driver() {
        return driver;
    }

    // ------------------------------------------------------------------ the world, every tick

    private void tick(long t) {
        long ms = t - T0;
        if (driver != null && scenario.timing() == Scenario.FaultTiming.AFTER_BASELINE
                && ms == (plan.timeline().baselineS() + 5) * 1000L) {
            blackholeFromMs = t;
            control(t, "fault", new ControlEvent.Fault(scenario.faultKind(), home));
        }
        for (String region : plan.regions()) {
            for (String observer : OBSERVERS) {
                for (int i = 0; i < setup.requestsPerTick(); i++) {
                    emit(t, region, observer, request(t, region, observer));
                }
                if (ms % 1000 == 0) {
                    emit(t, region, observer, new Telemetry.Health(!down(t, region, observer)));
                    emit(t, region, observer, indexMeta(region));
                    emit(t, region, observer, new Telemetry.Cache(cacheHit.get(region), cacheHit.get(region) >= 0.8));
                    emit(t, region, observer, new Telemetry.Backlog("writes", queues.get(region).size(), oldestAge(t, region)));
                    emit(t, region, observer, new Telemetry.Heartbeat());
                }
                if (ms % 2000 == 0 && observer.equals(OBSERVERS.get(0))) {
                    for (int q = 1; q <= 5; q++) {
                        emit(t, region, observer, rag(region, q));
                    }
                }
            }
        }
        if (ms % 400 == 0) {
            write(t);
        }
        if (ms % 1000 == 0) {
            webhook(t);
        }
        if (scenario.operatorRepairs() && verified && !repairSent) {
            repairSent = true;
            due.add(new Due(t + 2000, ++order, () -> brownout = false));
            control(t + 2000, "repair_done", null);
        }
    }

    private boolean down(long t, String region, String observer) {
        if (!region.equals(home) || t < blackholeFromMs || !setup.downObservers().contains(observer)) {
            return false;
        }
        return setup.flapPeriodS() <= 0 || ((t - blackholeFromMs) / 1000 / setup.flapPeriodS()) % 2 == 0;
    }

    private Telemetry.Request request(long t, String region, String observer) {
        Telemetry.Request r = unannounced(t, region, observer);
        return r.status() == 0 || t >= stickUntilMs ? r
                : new Telemetry.Request(r.latencyMs(), r.status(), r.error(), r.phases(), r.cold(), r.target(), null, stickRegion);
    }

    private Telemetry.Request unannounced(long t, String region, String observer) {
        if (down(t, region, observer)) {
            return new Telemetry.Request(2.0, 0, "connect", null, false, "/api");
        }
        if (setup.errorShare() > 0 && random.nextDouble() < setup.errorShare()) {
            String error = ERROR_CLASSES.get(random.nextInt(ERROR_CLASSES.size()));
            return new Telemetry.Request(5 + random.nextInt(50), error.equals("http_5xx") ? 503 : 0, error, null, false, "/api");
        }
        double base = region.equals(home) ? 40 : 45;
        if (region.equals(survivor) && weights.get(survivor) == 100) {
            base *= setup.survivorSlowdown();
        }
        if (region.equals(home) && brownout) {
            base += 200;
        }
        double latency = base * Math.exp(0.2 * random.nextGaussian());
        return new Telemetry.Request(Math.round(latency * 10) / 10.0, 200, null, null, false, "/api");
    }

    private Telemetry.IndexMeta indexMeta(String region) {
        boolean skew = skewed.contains(region);
        return new Telemetry.IndexMeta(skew ? "hash-skewed-dot" : "hash-artifact-1", skew ? "dot" : "cosine", "standard",
                T0 - 86_400_000L, "all-MiniLM-L6-v2", List.of("doc_id", "section_id", "snippet_id"));
    }

    private Telemetry.RagProbe rag(String region, int q) {
        boolean skew = skewed.contains(region);
        double ds = skew ? 0.68 + 0.05 * random.nextDouble() : 0.30 + 0.05 * random.nextDouble();
        List<String> top = skew ? List.of("s-9" + q, "s-8" + q, "s-7" + q, "s-6" + q, "s-5" + q)
                : List.of("s-" + q + "1", "s-" + q + "2", "s-" + q + "3", "s-" + q + "4", "s-" + q + "5");
        return new Telemetry.RagProbe("q-" + q, Math.round(ds * 1000) / 1000.0, skew ? "divergent" : "convergent",
                skew ? 0.55 : 0.86, top, skew ? "answer-skewed-" + q : "answer-" + q);
    }

    private double oldestAge(long t, String region) {
        Deque<String> q = queues.get(region);
        return q.isEmpty() ? 0 : t - enqueuedAt.get(q.peekFirst());
    }

    /** One user write, routed over the serving regions in turn; a frozen region enqueues, a follower forwards. */
    private void write(long t) {
        String id = "w-" + (++writeSeq);
        List<String> serving = plan.regions().stream().filter(r -> weights.get(r) > 0).toList();
        String region = serving.isEmpty() ? home : serving.get((int) (writeSeq % serving.size()));
        String observer = "ledger";
        emit(t, region, observer, new Telemetry.Write(id, "acked", region));
        if (frozen.contains(region)) {
            queues.get(region).addLast(id);
            enqueuedAt.put(id, t);
            emit(t, region, observer, new Telemetry.Write(id, "enqueued", region));
            if (promoted) {
                replayQueues(t); // queue first, then the one writer replays it
            }
        } else if (!(setup.loseWrite() && writeSeq == 30)) {
            emit(t, region, observer, new Telemetry.Write(id, "applied", writer));
        }
    }

    /** One third-party webhook, its dedupe key computed as the plan's policy writes it (fields event_id, rev). */
    private void replayQueues(long t) {
        for (Deque<String> q : queues.values()) {
            while (!q.isEmpty()) {
                emit(t, writer, "ledger", new Telemetry.Write(q.pollFirst(), "applied", writer));
            }
        }
    }

    private void webhook(long t) {
        Map<String, Object> fields = new TreeMap<>(Map.of("event_id", "evt-" + (++webhookSeq), "rev", 1L));
        StringBuilder raw = new StringBuilder();
        plan.webhookPolicy().keyFields().forEach(f -> raw.append(fields.getOrDefault(f, "")));
        String key = io.failoverdrill.schemas.Sha256.hex(raw.toString());
        emit(t, webhookFrom, "webhook-sink", new Telemetry.Webhook(key, webhookFrom, fields));
        if (setup.duplicateWebhooks() && webhookSeq % 5 == 0) {
            String other = plan.regions().stream().filter(r -> !r.equals(webhookFrom)).findFirst().orElseThrow();
            emit(t, other, "webhook-sink", new Telemetry.Webhook(key, other, fields));
        }
    }

    // ------------------------------------------------------------------ feeding the drill

    private void emit(long t, String region, String observer, Telemetry payload) {
        Telemetry reported = setup.tamper().apply(t, region, observer, payload);
        if (reported == null) {
            return;
        }
        String id = observer + "/" + region + "/" + reported.type() + "/" + t + "/" + (++order);
        feed(new TelemetryEvent(id, region, observer, t, null, reported));
    }

    private void control(long t, String action, ControlEvent.Fault fault) {
        ControlEvent c = new ControlEvent(action + "-" + t, t, plan.drillId(), action, fault);
        due.add(new Due(t, ++order, () -> feed(c)));
    }

    private void runDue(long t) {
        while (!due.isEmpty() && due.peek().tsMs <= t) {
            due.poll().action.run();
        }
    }

    private void feed(InputEvent e) {
        if (driver == null) {
            emitted.add(e);
            return;
        }
        for (Decision d : driver.pipe(e)) {
            if (d instanceof Command c) {
                actuate(c);
            }
            if (d instanceof PhaseChange p) {
                staged(p);
            }
        }
    }

    /** The scenario's moments: the fault when the region is evacuated; the repair once the drill verified. */
    private void staged(PhaseChange p) {
        if (p.to() == Phase.EVACUATE && scenario.timing() == Scenario.FaultTiming.ON_EVACUATE) {
            brownout = true;
            control(p.tsMs() + 100, "fault", new ControlEvent.Fault(scenario.faultKind(), home));
        }
        if (p.from() == Phase.OBSERVE) {
            verified = true;
        }
    }

    /** The actuator: applies the command after {@code ackDelayMs} and acks it. */
    private void actuate(Command c) {
        long at = c.tsMs() + setup.ackDelayMs() + 2500; // the watermark trails real time by lateness + probe period
        boolean reject = setup.rejectPromote() && c.body() instanceof CommandBody.PromoteWriter;
        due.add(new Due(at, ++order, () -> {
            if (!reject) {
                apply(at, c.body());
            }
            feed(DrillTestDriver.ackOf(c, at, survivor, !reject, "refused by test"));
        }));
    }

    private void apply(long t, CommandBody body) {
        if (body instanceof CommandBody.SetWeights w) {
            weights.putAll(w.weights());
        } else if (body instanceof CommandBody.FreezeWrites f) {
            frozen.addAll(f.regions());
        } else if (body instanceof CommandBody.UnfreezeWrites u) {
            u.regions().forEach(frozen::remove);
        } else if (body instanceof CommandBody.PromoteWriter p) {
            writer = p.region();
            promoted = true;
            replayQueues(t);
        } else if (body instanceof CommandBody.RouteWebhooks r) {
            webhookFrom = r.emitFrom();
        } else if (body instanceof CommandBody.Stick s) {
            stickRegion = s.region();
            stickUntilMs = t + s.minutes() * 60_000L;
        } else if (body instanceof CommandBody.RebuildIndex r) {
            due.add(new Due(t + 2000, ++order, () -> skewed.remove(r.region())));
        } else if (body instanceof CommandBody.PurgeCache p) {
            cacheHit.put(p.region(), 0.1);
        } else if (body instanceof CommandBody.RewarmCache r) {
            due.add(new Due(t + 1000, ++order, () -> cacheHit.put(r.region(), 0.9)));
        }
    }
}

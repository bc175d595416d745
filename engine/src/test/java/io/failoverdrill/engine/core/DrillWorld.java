package io.failoverdrill.engine.core;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A seeded, closed-loop model of two regions seen by three observers, for core tests and the committed drill
 * files. It feeds a {@link DrillCore} event by event and reacts to the commands it emits the way real regions
 * and actuators would: acks after a delay, traffic and writes follow the weights, frozen regions enqueue and the
 * new writer replays, webhooks follow {@code route_webhooks}, rebuilds fix a skewed index, purges empty caches.
 * The arrival-order stream it produced (telemetry, control and acks) is the drill's event file.
 */
public final class DrillWorld {
    public static final long T0 = 1_795_946_400_000L; // 2026-11-29T10:00:00.000Z
    static final String HOME = "us-east";
    static final String SURVIVOR = "eu-west";
    static final List<String> REGIONS = List.of(HOME, SURVIVOR);
    static final List<String> OBSERVERS = List.of("obs-a", "obs-b", "obs-c");

    /** What to inject. {@code downObservers}: who sees the blackhole; {@code flapPeriodS} > 0 makes it oscillate. */
    public record Setup(String drillType, long seed, Set<String> downObservers, int flapPeriodS, long ackDelayMs,
                        boolean rejectPromote, boolean duplicateWebhooks, boolean loseWrite, double survivorSlowdown) {
        public static Setup of(String type, long seed) {
            return new Setup(type, seed, Set.of("obs-a", "obs-b", "obs-c"), 0, 1200, false, false, false, 1.0);
        }

        public Setup withDown(Set<String> observers, int flapPeriodS) {
            return new Setup(drillType, seed, observers, flapPeriodS, ackDelayMs, rejectPromote, duplicateWebhooks, loseWrite, survivorSlowdown);
        }

        public Setup breaking(boolean rejectPromote, boolean duplicateWebhooks, boolean loseWrite, double survivorSlowdown) {
            return new Setup(drillType, seed, downObservers, flapPeriodS, ackDelayMs, rejectPromote, duplicateWebhooks, loseWrite, survivorSlowdown);
        }
    }

    public static String planJson(String type) {
        return """
                {"drill_id":"golden-%s","drill_type":"%s","regions":["us-east","eu-west"],"evacuate":"us-east",
                 "promote_survivor":"eu-west","routing":{"mode":"latency","stick_minutes":15,"hysteresis_s":3},
                 "freeze_writes_on_followers":true,
                 "checks":{"pre":["env_parity","index_hash_equal","queue_empty","cache_warm"],
                           "live":["p95_latency","error_rate","queue_backlog","ΔS_probe","λ_state","index_hash"],
                           "post":["answers_equal","contracts_equal","backlog_zero","cache_rewarmed"]},
                 "rag_probe":{"k":10,"dualhome_k":5,"delta_s_risk":0.60,"coverage_min":0.70},
                 "webhook_policy":{"emit_from":"eu-west","dedupe_key":"sha256(event_id+rev)"},
                 "return_to_home":{"rebuild_follower":true,"purge_cache":true,"gradual_weights":[10,30,60,100]},
                 "detect":{"window_s":10,"quorum":2},"timeline":{"baseline_s":10,"observe_s":10,"stale_observer_s":10},
                 "allowed_lateness_ms":2000}
                """.formatted(type, type);
    }

    public static DrillPlan plan(String type) {
        return Codec.decodePlan(planJson(type).getBytes(StandardCharsets.UTF_8));
    }

    private record Due(long tsMs, long order, Runnable action) {
    }

    private final Setup setup;
    private final DrillPlan plan;
    private final DrillCore core;
    private final SplittableRandom random;
    private final List<InputEvent> stream = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.tsMs != b.tsMs
            ? Long.compare(a.tsMs, b.tsMs) : Long.compare(a.order, b.order));
    private long order;

    // the world's state, changed only by applied commands
    private final Map<String, Integer> weights = new TreeMap<>(Map.of(HOME, 50, SURVIVOR, 50));
    private String writer = HOME;
    private final Set<String> frozen = new TreeSet<>();
    private final Map<String, Deque<String>> queues = new TreeMap<>(Map.of(HOME, new ArrayDeque<>(), SURVIVOR, new ArrayDeque<>()));
    private final Map<String, Long> enqueuedAt = new TreeMap<>();
    private String webhookFrom = HOME;
    private final Map<String, Boolean> skewed = new TreeMap<>(Map.of(HOME, false, SURVIVOR, false));
    private final Map<String, Double> cacheHit = new TreeMap<>(Map.of(HOME, 0.92, SURVIVOR, 0.93));
    private boolean brownout;
    private long blackholeFromMs = Long.MAX_VALUE;
    private boolean repairSent;
    private long writeSeq;
    private long webhookSeq;

    public DrillWorld(Setup setup) {
        this.setup = setup;
        this.plan = plan(setup.drillType());
        this.core = new DrillCore(plan);
        this.random = new SplittableRandom(setup.seed());
        if (setup.drillType().equals("index_skew")) {
            skewed.put(HOME, true);
        }
    }

    /** Runs up to {@code maxSeconds} of event time, stopping 3 s after the drill ends. */
    public DrillWorld run(int maxSeconds) {
        control(T0 + 1000, "start", null);
        long endMs = T0 + maxSeconds * 1000L;
        long stopAt = Long.MAX_VALUE;
        for (long t = T0; t < endMs && t < stopAt; t += 200) {
            runDue(t);
            tick(t);
            if (core.phase() == Phase.DONE || core.phase() == Phase.ABORTED) {
                stopAt = Math.min(stopAt, t + 3000);
            }
        }
        return this;
    }

    public List<InputEvent> stream() {
        return stream;
    }

    public List<Decision> decisions() {
        return decisions;
    }

    public DrillCore core() {
        return core;
    }

    public static String jsonl(List<? extends io.failoverdrill.schemas.CanonicalJson.JsonWritable> records) {
        StringBuilder sb = new StringBuilder();
        records.forEach(r -> sb.append(Codec.encodeToString(r)).append('\n'));
        return sb.toString();
    }

    // ------------------------------------------------------------------ the world, every 200 ms

    private void tick(long t) {
        long ms = t - T0;
        if (setup.drillType().equals("blackhole") && ms == 15_000) {
            blackholeFromMs = t;
            control(t, "fault", new ControlEvent.Fault("blackhole", HOME));
        }
        for (String region : REGIONS) {
            for (String observer : OBSERVERS) {
                emit(t, region, observer, request(t, region, observer));
                if (ms % 1000 == 0) {
                    emit(t, region, observer, new Telemetry.Health(!down(t, region, observer)));
                    emit(t, region, observer, indexMeta(region));
                    emit(t, region, observer, new Telemetry.Cache(cacheHit.get(region), cacheHit.get(region) >= 0.8));
                    emit(t, region, observer, new Telemetry.Backlog("writes", queues.get(region).size(), oldestAge(t, region)));
                    emit(t, region, observer, new Telemetry.Heartbeat());
                }
                if (ms % 2000 == 0 && observer.equals("obs-a")) {
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
        if (setup.drillType().equals("return_home") && !repairSent && verified()) {
            repairSent = true;
            control(t + 2000, "repair_done", null);
        }
    }

    private boolean verified() {
        return decisions.stream().anyMatch(d -> d instanceof PhaseChange p && p.from() == Phase.OBSERVE);
    }

    private boolean down(long t, String region, String observer) {
        if (!region.equals(HOME) || t < blackholeFromMs || !setup.downObservers().contains(observer)) {
            return false;
        }
        return setup.flapPeriodS() <= 0 || ((t - blackholeFromMs) / 1000 / setup.flapPeriodS()) % 2 == 0;
    }

    private Telemetry.Request request(long t, String region, String observer) {
        if (down(t, region, observer)) {
            return new Telemetry.Request(2.0, 0, "connect", null, false, "/api");
        }
        double base = region.equals(HOME) ? 40 : 45;
        if (region.equals(SURVIVOR) && weights.get(SURVIVOR) == 100) {
            base *= setup.survivorSlowdown();
        }
        if (region.equals(HOME) && brownout) {
            base += 200;
        }
        double latency = base * Math.exp(0.2 * random.nextGaussian());
        return new Telemetry.Request(Math.round(latency * 10) / 10.0, 200, null, null, false, "/api");
    }

    private Telemetry.IndexMeta indexMeta(String region) {
        boolean skew = skewed.get(region);
        return new Telemetry.IndexMeta(skew ? "hash-skewed-dot" : "hash-artifact-1", skew ? "dot" : "cosine", "standard",
                T0 - 86_400_000L, "all-MiniLM-L6-v2", List.of("doc_id", "section_id", "snippet_id"));
    }

    private Telemetry.RagProbe rag(String region, int q) {
        boolean skew = skewed.get(region);
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

    /** One user write, routed by weight; a frozen region enqueues, a follower forwards to the writer. */
    private void write(long t) {
        String id = "w-" + (++writeSeq);
        String region = weights.get(HOME) > 0 && writeSeq % 2 == 0 ? HOME : (weights.get(SURVIVOR) > 0 ? SURVIVOR : HOME);
        String observer = "ledger";
        emitAs(t, region, observer, new Telemetry.Write(id, "acked", region));
        if (frozen.contains(region)) {
            queues.get(region).addLast(id);
            enqueuedAt.put(id, t);
            emitAs(t, region, observer, new Telemetry.Write(id, "enqueued", region));
        } else if (!(setup.loseWrite() && writeSeq == 30)) {
            emitAs(t, region, observer, new Telemetry.Write(id, "applied", writer));
        }
    }

    private void webhook(long t) {
        String key = "k-" + (++webhookSeq);
        emitAs(t, webhookFrom, "webhook-sink", new Telemetry.Webhook(key, webhookFrom));
        if (setup.duplicateWebhooks() && webhookSeq % 5 == 0) {
            String other = webhookFrom.equals(HOME) ? SURVIVOR : HOME;
            emitAs(t, other, "webhook-sink", new Telemetry.Webhook(key, other));
        }
    }

    // ------------------------------------------------------------------ feeding the core

    private void emit(long t, String region, String observer, Telemetry payload) {
        emitAs(t, region, observer, payload);
    }

    private void emitAs(long t, String region, String observer, Telemetry payload) {
        String id = observer + "/" + region + "/" + payload.type() + "/" + t + "/" + (++order);
        feed(new TelemetryEvent(id, region, observer, t, null, payload));
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
        stream.add(e);
        for (Decision d : core.accept(e)) {
            decisions.add(d);
            if (d instanceof Command c) {
                actuate(c);
            }
            if (d instanceof PhaseChange p && p.to() == Phase.EVACUATE && setup.drillType().equals("brownout")) {
                brownout = true;
                control(p.tsMs() + 100, "fault", new ControlEvent.Fault("brownout", HOME));
            }
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
            String region = c.body().fields().get("region") instanceof String s ? s : SURVIVOR;
            feed(new AckEvent("ack-" + c.commandId(), at, region, "actuator-1", c.commandId(),
                    reject ? "rejected" : "applied", reject ? "refused by test" : null));
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
            for (Deque<String> q : queues.values()) {
                while (!q.isEmpty()) {
                    String id = q.pollFirst();
                    emitAs(t, writer, "ledger", new Telemetry.Write(id, "applied", writer));
                }
            }
        } else if (body instanceof CommandBody.RouteWebhooks r) {
            webhookFrom = r.emitFrom();
        } else if (body instanceof CommandBody.RebuildIndex r) {
            due.add(new Due(t + 2000, ++order, () -> skewed.put(r.region(), false)));
        } else if (body instanceof CommandBody.PurgeCache p) {
            cacheHit.put(p.region(), 0.1);
        } else if (body instanceof CommandBody.RewarmCache r) {
            due.add(new Due(t + 1000, ++order, () -> cacheHit.put(r.region(), 0.9)));
        }
    }

    /** Per drill type, the event-time seconds the committed scenario runs for. */
    static final Map<String, Integer> DURATION_S = new LinkedHashMap<>(Map.of(
            "brownout", 60, "blackhole", 75, "index_skew", 60, "webhook_reroute", 60, "return_home", 120));
}

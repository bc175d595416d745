package io.failoverdrill.engine.core;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, deterministic brownout scenario for core tests: two regions, two observers each, requests every
 * 100 ms with a log-normal-ish latency, health and index metadata every second, a start control event, and an
 * in-test actuator that acks every command {@code ackDelayMs} after it was decided.
 */
public final class DrillScenario {
    public static final long T0 = 1_795_000_000_000L; // 2026-11-18T…, any whole second works
    public static final String PLAN = """
            {"drill_id":"d-test","regions":["us-east","eu-west"],"evacuate":"us-east","promote_survivor":"eu-west",
             "routing":{"mode":"latency","stick_minutes":15,"hysteresis_s":5},"freeze_writes_on_followers":true,
             "checks":{"pre":["env_parity","index_hash_equal"],"live":["p95_latency"],"post":[]},
             "rag_probe":{"k":10,"dualhome_k":5,"delta_s_risk":0.60,"coverage_min":0.70},
             "webhook_policy":{"emit_from":"eu-west","dedupe_key":"sha256(event_id+rev)"},
             "return_to_home":{"rebuild_follower":true,"purge_cache":true,"gradual_weights":[10,30,60,100]},
             "detect":{"window_s":10},"timeline":{"baseline_s":10,"observe_s":10,"stale_observer_s":10}}
            """;

    public static DrillPlan plan() {
        return Codec.decodePlan(PLAN.getBytes(StandardCharsets.UTF_8));
    }

    /** Telemetry for [T0, T0 + seconds): us-east slower by {@code brownoutMs} after {@code brownoutFromS}. */
    public static List<InputEvent> telemetry(long seed, int seconds, double survivorFactorAfterCutover) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<InputEvent> out = new ArrayList<>();
        String[] regions = {"us-east", "eu-west"};
        for (int ms = 0; ms < seconds * 1000; ms += 100) {
            long ts = T0 + ms;
            for (String region : regions) {
                for (String obs : new String[]{"obs-a", "obs-b"}) {
                    String observer = region + "/" + obs;
                    double base = region.equals("us-east") ? 40 : 50;
                    if (region.equals("eu-west") && ms > 14_000) {
                        base *= survivorFactorAfterCutover;
                    }
                    double latency = base * Math.exp(0.25 * rnd.nextGaussian());
                    out.add(new TelemetryEvent(observer + "-" + ms, region, observer, ts, null,
                            new Telemetry.Request(Math.round(latency * 10) / 10.0, 200, null, null, false, "/api")));
                    if (ms % 1000 == 0) {
                        out.add(new TelemetryEvent(observer + "-h" + ms, region, observer, ts, null, new Telemetry.Health(true)));
                        out.add(new TelemetryEvent(observer + "-i" + ms, region, observer, ts, null,
                                new Telemetry.IndexMeta("hash-1", "cosine", "standard", T0 - 86_400_000, "all-MiniLM-L6-v2", null)));
                    }
                }
            }
        }
        return out;
    }

    public static ControlEvent start(long ts) {
        return new ControlEvent("ctl-start", ts, "d-test", "start", null);
    }

    /** Runs events through a core, acking each command {@code ackDelayMs} after its decision time. */
    public static List<Decision> run(DrillCore core, List<InputEvent> events, long ackDelayMs) {
        List<Decision> log = new ArrayList<>();
        List<AckEvent> acks = new ArrayList<>();
        for (InputEvent e : events) {
            while (!acks.isEmpty() && acks.get(0).tsMs() <= e.tsMs()) {
                log.addAll(core.accept(acks.remove(0)));
            }
            for (Decision d : core.accept(e)) {
                log.add(d);
                if (d instanceof Command c) {
                    acks.add(new AckEvent("ack-" + c.commandId(), c.tsMs() + ackDelayMs, "eu-west", "actuator-1",
                            c.commandId(), "applied", null));
                }
            }
        }
        return log;
    }

    public static String text(List<Decision> log) {
        StringBuilder sb = new StringBuilder();
        log.forEach(d -> sb.append(Codec.encodeToString(d)).append('\n'));
        return sb.toString();
    }

    private DrillScenario() {
    }
}

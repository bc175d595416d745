package io.failoverdrill.engine.runtime;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs, once before an engine starts consuming, the code its first decisions will take: a throw-away core of the same
 * plan is fed a synthetic drill — a start, then healthy telemetry from three observers per region, every command
 * acknowledged — through the same decode, core and encode steps as the live path. Without it the drill's first batch
 * of decisions (pre-check verdicts, the phase change, the first commands) was made by code the JVM had never run and
 * took up to ≈ 100 ms instead of ≈ 50 (BENCHMARKS.md, (b)). Nothing leaves this class: the real core never sees these
 * events, nothing is written, and the synthetic drill may end anywhere (a plan whose pre-checks need data it does not
 * synthesise aborts it), which only makes the warm-up shorter.
 */
public final class EngineWarmUp {
    /** Event-time seconds of synthetic drill after the plan's baseline. */
    static final int EXTRA_SECONDS = 60;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z: any fixed instant will do
    private static final String[] OBSERVERS = {"warm-up-a", "warm-up-b", "warm-up-c"};

    private EngineWarmUp() {
    }

    /** Feeds the synthetic drill through a core of {@code plan}; returns the decisions it made (for tests). */
    public static List<Decision> run(DrillPlan plan) {
        DrillCore core = new DrillCore(plan);
        List<Decision> made = new ArrayList<>();
        feed(core, new ControlEvent("warm-up-start", T0, plan.drillId(), "start", null), made);
        int seconds = plan.timeline().baselineS() + EXTRA_SECONDS;
        long n = 0;
        for (int s = 0; s < seconds; s++) {
            for (int tick = 0; tick < 10; tick++) {
                long ts = T0 + s * 1000L + tick * 100L;
                for (String region : plan.regions()) {
                    for (String observer : OBSERVERS) {
                        feed(core, new TelemetryEvent("warm-up-" + n++, region, observer, ts, null, signal(tick, n)), made);
                    }
                }
            }
        }
        return made;
    }

    /** Mostly fast successful requests; once a second each of the state signals the pre-checks read. */
    private static Telemetry signal(int tick, long n) {
        return switch (tick) {
            case 0 -> new Telemetry.Health(true);
            case 1 -> new Telemetry.IndexMeta("warm-up-index", "cosine", "standard", T0 - 86_400_000L, null, null);
            case 2 -> new Telemetry.Cache(0.9, true);
            case 3 -> new Telemetry.Backlog("writes", 0, 0);
            case 4 -> new Telemetry.RagProbe("q-" + n % 5, 0.3, "convergent", 0.9, null, null);
            default -> new Telemetry.Request(40 + n % 7, 200, null, null, false, "/");
        };
    }

    /** One event the way the live path takes it: encoded, decoded, fed; its decisions encoded and commands acked. */
    private static void feed(DrillCore core, InputEvent event, List<Decision> made) {
        InputEvent decoded = Codec.decodeInput(Codec.encode(event));
        for (Decision d : core.accept(decoded)) {
            made.add(d);
            Codec.encode(d);
            if (d instanceof Command c) {
                String region = core.plan().regions().get(0);
                feed(core, new AckEvent("warm-up-ack-" + c.commandId(), decoded.tsMs(), region, "warm-up-actuator",
                        c.commandId(), "applied", null), made);
            }
        }
    }
}

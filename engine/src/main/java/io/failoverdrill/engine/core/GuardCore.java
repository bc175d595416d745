package io.failoverdrill.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.failoverdrill.engine.core.rule.ClampController;
import io.failoverdrill.engine.core.time.EventCounts;
import io.failoverdrill.engine.core.time.EventIntake;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Guard mode: no drill, no phases — every region is watched continuously and clamped when it degrades, by the same
 * {@link ClampController} a drill uses while observing (p95 over {@code detect.p95_ms} or ΔS over
 * {@code rag_probe.delta_s_risk}, each with hysteresis and the {@code routing.hysteresis_s} dwell; concurrency by
 * AIMD, retrieval k halved towards {@code dualhome_k}), and released when both rules have cleared. Windows are in
 * event time exactly as in {@link DrillCore}: p95 over the last {@code detect.window_s} whole seconds the watermark
 * has passed; the watermark moves on the telemetry of every region, watched or not. Emits only {@code clamp} /
 * {@code release_clamp} commands (rules {@code guard.*}). Pure. {@link GuardPack} runs many guards on one clock.
 */
public final class GuardCore implements DecisionCore {
    private final DrillPlan policy;
    private final EventIntake intake;
    private final GuardWatch watch;

    /** {@code policy}: a guard policy decoded by {@code GuardPolicy.decode}. */
    public GuardCore(DrillPlan policy) {
        this.policy = policy;
        this.intake = new EventIntake(policy.allowedLatenessMs(), GuardWatch.staleObserverMs(policy));
        this.watch = new GuardWatch(policy);
    }

    @Override
    public String id() {
        return policy.drillId();
    }

    @Override
    public List<Decision> accept(InputEvent event) {
        if (event instanceof StopEvent s) {
            watch.stop(s);
            return watch.drain();
        }
        if (!intake.firstTime(event) || !(event instanceof TelemetryEvent t) || intake.late(t.tsMs())) {
            return List.of(); // duplicates, late telemetry; control and acks do not steer the guard
        }
        if (watch.watches(t.region())) {
            if (watch.record(t)) {
                intake.counts().countUsed();
            } else {
                intake.counts().countTooFarAhead();
            }
        }
        intake.observed(t.observer(), t.tsMs(), watch::tick);
        return watch.drain();
    }

    @Override
    public Map<String, Object> progress() {
        long now = intake.clock().watermark();
        Map<String, Object> m = new TreeMap<>();
        m.put("phase", watch.stopped() ? "stopped" : "guard");
        if (now != Long.MIN_VALUE) {
            m.put("watermark_ms", now);
            m.put("observers", intake.clock().liveObservers());
            m.put("regions", watch.regionSummary(now));
        }
        return m;
    }

    @Override
    public boolean dryRun() {
        return policy.dryRun();
    }

    /** What a snapshot holds: which guard, under which policy, and every piece of state that steers it. */
    @Override
    public ObjectNode snapshot() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", "guard");
        n.setAll(watch.state());
        n.set("intake", intake.state());
        return n;
    }

    @Override
    public void restore(JsonNode n) {
        if (!"guard".equals(n.path("kind").asText())) {
            throw new IllegalArgumentException("snapshot of " + n.path("kind").asText() + " '" + n.path("id").asText()
                    + "' cannot restore guard '" + policy.drillId() + "'");
        }
        watch.restore(n, "guard");
        intake.restore(n.get("intake"));
    }

    @Override
    public int clampsInForce() {
        return watch.clampsInForce();
    }

    @Override
    public java.util.Collection<StopEvent> stopsInForce() {
        return watch.stopsInForce();
    }

    @Override
    public long allowedLatenessMs() {
        return policy.allowedLatenessMs();
    }

    @Override
    public long lastSeq() {
        return watch.lastSeq();
    }

    @Override
    public Phase phase() {
        return watch.stopped() ? Phase.STOPPED : Phase.OBSERVE;
    }

    @Override
    public boolean over() {
        return false;
    }

    @Override
    public long watermarkMs() {
        return intake.clock().watermark();
    }

    @Override
    public EventCounts counts() {
        return intake.counts();
    }
}

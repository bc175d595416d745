package io.failoverdrill.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.Sha256;
import io.failoverdrill.engine.core.rule.ClampController;
import io.failoverdrill.engine.core.rule.DecisionLog;
import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.RagView;
import io.failoverdrill.engine.core.time.EventCounts;
import io.failoverdrill.engine.core.time.EventIntake;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Guard mode: no drill, no phases — every region is watched continuously and clamped when it degrades, by the same
 * {@link ClampController} a drill uses while observing (p95 over {@code detect.p95_ms} or ΔS over
 * {@code rag_probe.delta_s_risk}, each with hysteresis and the {@code routing.hysteresis_s} dwell; concurrency by
 * AIMD, retrieval k halved towards {@code dualhome_k}), and released when both rules have cleared. Windows are in
 * event time exactly as in {@link DrillCore}: p95 over the last {@code detect.window_s} whole seconds the watermark
 * has passed. Emits only {@code clamp} / {@code release_clamp} commands (rules {@code guard.*}). Pure.
 */
public final class GuardCore implements DecisionCore {
    private final DrillPlan policy;
    private final EventIntake intake;
    private final Map<String, RegionSignals> regions = new LinkedHashMap<>();
    private final Map<String, ClampController> clamps = new TreeMap<>();
    private final DecisionLog log;
    private final EmergencyStops stops = new EmergencyStops();
    /** The last whole second decided on, epoch ms (MIN_VALUE: none yet). */
    private long lastTickMs = Long.MIN_VALUE;
    /** Identifies the policy a snapshot was taken under: thresholds, regions, windows. */
    private final String policyDigest;

    /** {@code policy}: a guard policy decoded by {@code GuardPolicy.decode}. */
    public GuardCore(DrillPlan policy) {
        this.policy = policy;
        long staleMs = policy.timeline().staleObserverS() * 1000L;
        this.intake = new EventIntake(policy.allowedLatenessMs(), staleMs);
        int capacity = policy.detect().windowS() + (int) ((policy.allowedLatenessMs() + staleMs) / 1000) + 3;
        for (String r : policy.regions()) {
            regions.put(r, new RegionSignals(r, capacity));
            clamps.put(r, new ClampController(policy, r, policy.detect().p95Ms()));
        }
        this.log = new DecisionLog(policy.drillId());
        this.policyDigest = Sha256.hex(policy.toString());
    }

    @Override
    public String id() {
        return policy.drillId();
    }

    @Override
    public List<Decision> accept(InputEvent event) {
        if (event instanceof StopEvent s) {
            acceptStop(s);
            return log.drain();
        }
        if (!intake.firstTime(event) || !(event instanceof TelemetryEvent t) || intake.late(t.tsMs())) {
            return List.of(); // duplicates, late telemetry; control and acks do not steer the guard
        }
        RegionSignals signals = regions.get(t.region());
        if (signals != null) {
            if (signals.record(t)) {
                intake.counts().countUsed();
            } else {
                intake.counts().countTooFarAhead();
            }
        }
        intake.observed(t.observer(), t.tsMs(), this::tick);
        return log.drain();
    }

    /**
     * An emergency stop covering this guard pauses it on arrival (phase {@code stopped}, with the stop as evidence:
     * no clamp or release while it is in force); clearing it resumes watching (phase {@code observe}). Clamps in
     * place stay as they are.
     */
    private void acceptStop(StopEvent s) {
        boolean wasStopped = stops.covering(policy.drillId()) != null;
        stops.apply(s);
        StopEvent now = stops.covering(policy.drillId());
        long ts = lastTickMs != Long.MIN_VALUE ? lastTickMs : s.tsMs();
        if (!wasStopped && now != null) {
            log.phase(ts, Phase.OBSERVE, Phase.STOPPED, EmergencyStops.evidence(now));
        } else if (wasStopped && now == null) {
            log.phase(ts, Phase.STOPPED, Phase.OBSERVE);
        }
    }

    private void tick(long nowMs) {
        lastTickMs = nowMs;
        regions.values().forEach(r -> r.sealUntil(nowMs));
        if (stops.covering(policy.drillId()) != null) {
            return;
        }
        RagView rag = new RagView(regions.values(), null);
        for (Map.Entry<String, RegionSignals> e : regions.entrySet()) {
            String region = e.getKey();
            LatencyStats p = e.getValue().latency(nowMs, policy.detect().windowS(), false);
            ClampController.Step step = clamps.get(region).evaluate(nowMs, p.isEmpty() ? Double.NaN : p.p95(),
                    rag.maxDeltaS(region));
            if (step != null) {
                log.command(nowMs, step.rule().replace("observe.", "guard."), step.evidence(), step.body());
            }
        }
    }

    @Override
    public Map<String, Object> progress() {
        long now = intake.clock().watermark();
        Map<String, Object> m = new TreeMap<>();
        m.put("phase", stops.covering(policy.drillId()) != null ? "stopped" : "guard");
        if (now != Long.MIN_VALUE) {
            m.put("watermark_ms", now);
            m.put("observers", intake.clock().liveObservers());
            m.put("regions", Signals.summary(regions.values(), now, policy.detect().windowS()));
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
        n.put("kind", "guard").put("id", policy.drillId()).put("policy_sha256", policyDigest);
        n.put("seq", log.lastSeq()).put("last_tick_ms", lastTickMs);
        n.set("intake", intake.state());
        ObjectNode r = n.putObject("regions");
        regions.forEach((region, signals) -> r.set(region, signals.state()));
        ObjectNode c = n.putObject("clamps");
        clamps.forEach((region, clamp) -> c.set(region, clamp.state()));
        ArrayNode s = n.putArray("stops");
        stops.inForce().forEach(stop -> s.add(Codec.parse(Codec.encode(stop))));
        return n;
    }

    @Override
    public void restore(JsonNode n) {
        if (!"guard".equals(n.path("kind").asText()) || !policy.drillId().equals(n.path("id").asText())) {
            throw new IllegalArgumentException("snapshot of " + n.path("kind").asText() + " '" + n.path("id").asText()
                    + "' cannot restore guard '" + policy.drillId() + "'");
        }
        if (!policyDigest.equals(n.path("policy_sha256").asText())) {
            throw new IllegalArgumentException("snapshot of guard '" + policy.drillId() + "' was taken under another policy");
        }
        lastTickMs = n.get("last_tick_ms").longValue();
        intake.restore(n.get("intake"));
        regions.forEach((region, signals) -> signals.restore(n.get("regions").get(region)));
        clamps.forEach((region, clamp) -> clamp.restore(n.get("clamps").get(region)));
        // the clamps in force follow from the controllers: each region clamped and not released since
        log.continueAfter(n.get("seq").longValue(),
                clamps.entrySet().stream().filter(e -> e.getValue().clamped()).map(Map.Entry::getKey).toList());
        for (JsonNode stop : n.get("stops")) {
            stops.apply((StopEvent) Codec.decodeInput(stop));
        }
    }

    @Override
    public int clampsInForce() {
        return log.clampsInForce();
    }

    @Override
    public java.util.Collection<StopEvent> stopsInForce() {
        return stops.inForce();
    }

    @Override
    public long allowedLatenessMs() {
        return policy.allowedLatenessMs();
    }

    @Override
    public long lastSeq() {
        return log.lastSeq();
    }

    @Override
    public Phase phase() {
        return stops.covering(policy.drillId()) != null ? Phase.STOPPED : Phase.OBSERVE;
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

package io.failoverdrill.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.failoverdrill.engine.core.rule.ClampController;
import io.failoverdrill.engine.core.rule.DecisionLog;
import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.RagView;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.Sha256;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One guard's own state — its regions' signals, clamp controllers, decision log and emergency stops — without the
 * event-time clock, which its owner keeps: a {@link GuardCore} (a clock of its own) or a {@link GuardPack} (a clock
 * shared by the guards with the same lateness and staleness settings). The owner records the telemetry of the
 * guard's regions ({@link #record}) and calls {@link #tick} once per whole second the watermark passes. Pure.
 */
final class GuardWatch {
    private final DrillPlan policy;
    private final Map<String, RegionSignals> regions = new LinkedHashMap<>();
    private final Map<String, ClampController> clamps = new TreeMap<>();
    private final DecisionLog log;
    private final EmergencyStops stops = new EmergencyStops();
    /** The last whole second decided on, epoch ms (MIN_VALUE: none yet). */
    private long lastTickMs = Long.MIN_VALUE;
    /** Identifies the policy a snapshot was taken under: thresholds, regions, windows. */
    private final String policyDigest;

    GuardWatch(DrillPlan policy) {
        this.policy = policy;
        long staleMs = staleObserverMs(policy);
        int capacity = policy.detect().windowS() + (int) ((policy.allowedLatenessMs() + staleMs) / 1000) + 3;
        for (String r : policy.regions()) {
            regions.put(r, new RegionSignals(r, capacity));
            clamps.put(r, new ClampController(policy, r, policy.detect().p95Ms()));
        }
        this.log = new DecisionLog(policy.drillId());
        this.policyDigest = Sha256.hex(policy.toString());
    }

    /** How long (ms) an observer may fall behind the most advanced one before it no longer holds time back. */
    static long staleObserverMs(DrillPlan policy) {
        return policy.timeline().staleObserverS() * 1000L;
    }

    String id() {
        return policy.drillId();
    }

    DrillPlan policy() {
        return policy;
    }

    /** The regions this guard watches, in the policy's order. */
    Collection<String> regions() {
        return regions.keySet();
    }

    /**
     * Adds telemetry of a watched region; false when its second lies too far ahead of the last sealed second (ignored).
     *
     * @throws NullPointerException when the guard does not watch the event's region
     */
    boolean record(TelemetryEvent t) {
        return regions.get(t.region()).record(t);
    }

    boolean watches(String region) {
        return regions.containsKey(region);
    }

    /** The watermark passed the whole second {@code nowMs}: seal it, and clamp or release unless a stop is in force. */
    void tick(long nowMs) {
        lastTickMs = nowMs;
        regions.values().forEach(r -> r.sealUntil(nowMs));
        if (stopped()) {
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

    /**
     * An emergency stop covering this guard pauses it on arrival (phase {@code stopped}, with the stop as evidence:
     * no clamp or release while it is in force); clearing it resumes watching (phase {@code observe}). Clamps in
     * place stay as they are.
     */
    void stop(StopEvent s) {
        boolean wasStopped = stopped();
        stops.apply(s);
        StopEvent now = stops.covering(policy.drillId());
        long ts = lastTickMs != Long.MIN_VALUE ? lastTickMs : s.tsMs();
        if (!wasStopped && now != null) {
            log.phase(ts, Phase.OBSERVE, Phase.STOPPED, EmergencyStops.evidence(now));
        } else if (wasStopped && now == null) {
            log.phase(ts, Phase.STOPPED, Phase.OBSERVE);
        }
    }

    boolean stopped() {
        return stops.covering(policy.drillId()) != null;
    }

    /** The decisions made since the last call, in log order. */
    List<Decision> drain() {
        return log.drain();
    }

    long lastSeq() {
        return log.lastSeq();
    }

    int clampsInForce() {
        return log.clampsInForce();
    }

    Collection<StopEvent> stopsInForce() {
        return stops.inForce();
    }

    /** Per-region p95, error rate and signals over the detection window ending at {@code nowMs}, for displays. */
    Map<String, Object> regionSummary(long nowMs) {
        return Signals.summary(regions.values(), nowMs, policy.detect().windowS());
    }

    /** Which guard, under which policy, and every piece of its own state (the clock is its owner's). */
    ObjectNode state() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", policy.drillId()).put("policy_sha256", policyDigest);
        n.put("seq", log.lastSeq()).put("last_tick_ms", lastTickMs);
        ObjectNode r = n.putObject("regions");
        regions.forEach((region, signals) -> r.set(region, signals.state()));
        ObjectNode c = n.putObject("clamps");
        clamps.forEach((region, clamp) -> c.set(region, clamp.state()));
        ArrayNode s = n.putArray("stops");
        stops.inForce().forEach(stop -> s.add(Codec.parse(Codec.encode(stop))));
        return n;
    }

    /**
     * Replaces a fresh watch's state with {@link #state()}'s.
     *
     * @throws IllegalArgumentException when the state is another guard's, or was taken under another policy
     */
    void restore(JsonNode n, String kind) {
        if (!policy.drillId().equals(n.path("id").asText())) {
            throw new IllegalArgumentException("snapshot of " + kind + " '" + n.path("id").asText()
                    + "' cannot restore guard '" + policy.drillId() + "'");
        }
        if (!policyDigest.equals(n.path("policy_sha256").asText())) {
            throw new IllegalArgumentException("snapshot of guard '" + policy.drillId() + "' was taken under another policy");
        }
        lastTickMs = n.get("last_tick_ms").longValue();
        regions.forEach((region, signals) -> signals.restore(n.get("regions").get(region)));
        clamps.forEach((region, clamp) -> clamp.restore(n.get("clamps").get(region)));
        // the clamps in force follow from the controllers: each region clamped and not released since
        log.continueAfter(n.get("seq").longValue(),
                clamps.entrySet().stream().filter(e -> e.getValue().clamped()).map(Map.Entry::getKey).toList());
        for (JsonNode stop : n.get("stops")) {
            stops.apply((StopEvent) Codec.decodeInput(stop));
        }
    }
}

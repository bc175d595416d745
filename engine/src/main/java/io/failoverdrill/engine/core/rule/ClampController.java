package io.failoverdrill.engine.core.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Clamps one serving region during observation. Two hysteresis rules, each with the plan's dwell: p95 over the
 * SLO (exit below 90 % of it) and ΔS over {@code rag_probe.delta_s_risk} (exit 0.05 below it). When either fires —
 * and again after every further dwell it keeps firing — the concurrency limit is decreased multiplicatively by
 * Netflix's {@link AIMDLimit} (loss-based AIMD, fed an event-time sample marked as a drop) and retrieval k is
 * lowered halfway towards {@code dualhome_k} (reranking is untouched, so it stays deterministic). When both rules
 * have released, the clamp is released.
 */
public final class ClampController {
    private final DrillPlan plan;
    private final String region;
    private final Hysteresis latency;
    private final Hysteresis deltaS;
    private AIMDLimit limit;
    private int retrievalK;
    private boolean clamped;
    private int firingS;

    public ClampController(DrillPlan plan, String region, double sloMs) {
        this.plan = plan;
        this.region = region;
        int dwell = plan.routing().hysteresisS();
        this.latency = new Hysteresis(new Hysteresis.Config(sloMs, sloMs * 0.9, true, dwell, 1, 10, 600));
        double risk = plan.ragProbe().deltaSRisk();
        this.deltaS = new Hysteresis(new Hysteresis.Config(risk, Math.max(0, risk - 0.05), true, dwell, 1, 10, 600));
        this.limit = aimd(plan.clamp().initialLimit());
        this.retrievalK = plan.ragProbe().k();
    }

    /** Netflix's AIMD limit at {@code current}, bounded by the plan; its current limit is its whole state. */
    private AIMDLimit aimd(int current) {
        return AIMDLimit.newBuilder()
                .initialLimit(current)
                .minLimit(plan.clamp().minLimit())
                .maxLimit(plan.clamp().initialLimit())
                .backoffRatio(plan.clamp().backoffRatio())
                .timeout(1, TimeUnit.DAYS)
                .build();
    }

    /** Whether this region has a clamp in force (clamped, not released since). */
    public boolean clamped() {
        return clamped;
    }

    /** Both rules, the concurrency limit, retrieval k and the clamp's own counters, for a snapshot. */
    public ObjectNode state() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("latency", latency.state());
        n.set("delta_s", deltaS.state());
        n.put("limit", limit.getLimit()).put("retrieval_k", retrievalK).put("clamped", clamped).put("firing_s", firingS);
        return n;
    }

    /** Replaces this controller's state with {@link #state()}'s (of one built from the same plan and region). */
    public void restore(JsonNode n) {
        latency.restore(n.get("latency"));
        deltaS.restore(n.get("delta_s"));
        limit = aimd(n.get("limit").intValue());
        retrievalK = n.get("retrieval_k").intValue();
        clamped = n.get("clamped").booleanValue();
        firingS = n.get("firing_s").intValue();
    }

    /** A clamp decision and the evidence for it, or null when nothing changes this second. */
    public record Step(CommandBody body, String rule, Map<String, Object> evidence) {
    }

    /**
     * Evaluates second {@code nowMs}; {@code p95Ms} and {@code deltaSMax} may be NaN (no data: the rules keep
     * their state).
     */
    public Step evaluate(long nowMs, double p95Ms, double deltaSMax) {
        Hysteresis.Change l = latency.evaluate(nowMs, Map.of(region, p95Ms));
        Hysteresis.Change d = deltaS.evaluate(nowMs, Map.of(region, deltaSMax));
        boolean firing = latency.firing() || deltaS.firing();
        int dwell = Math.max(1, plan.routing().hysteresisS());
        if (firing) {
            firingS++;
            boolean fresh = l == Hysteresis.Change.FIRED || d == Hysteresis.Change.FIRED;
            if (fresh || firingS % dwell == 0) {
                return tighten(nowMs, p95Ms, deltaSMax);
            }
            return null;
        }
        firingS = 0;
        if (clamped) {
            clamped = false;
            retrievalK = plan.ragProbe().k();
            return new Step(new CommandBody.ReleaseClamp(region), "observe.release_clamp",
                    evidence(p95Ms, deltaSMax));
        }
        return null;
    }

    private Step tighten(long nowMs, double p95Ms, double deltaSMax) {
        int before = limit.getLimit();
        limit.onSample(nowMs * 1_000_000L, (long) ((Double.isNaN(p95Ms) ? 0 : p95Ms) * 1_000_000L), before, true);
        int floorK = plan.ragProbe().dualhomeK();
        retrievalK = Math.max(floorK, retrievalK - (retrievalK - floorK + 1) / 2);
        clamped = true;
        Map<String, Object> ev = evidence(p95Ms, deltaSMax);
        ev.put("limit_before", before);
        return new Step(new CommandBody.Clamp(region, limit.getLimit(), retrievalK),
                latency.firing() ? "observe.clamp_p95_over_slo" : "observe.clamp_delta_s_risk", ev);
    }

    private Map<String, Object> evidence(double p95Ms, double deltaSMax) {
        Map<String, Object> m = new TreeMap<>();
        m.put("region", region);
        m.put("p95_ms", Double.isNaN(p95Ms) ? null : Math.round(p95Ms * 10) / 10.0);
        m.put("slo_p95_ms", Math.round(latency.config().enter() * 10) / 10.0);
        m.put("delta_s_max", Double.isNaN(deltaSMax) ? null : Math.round(deltaSMax * 1000) / 1000.0);
        m.put("delta_s_risk", plan.ragProbe().deltaSRisk());
        m.put("dwell_s", plan.routing().hysteresisS());
        return m;
    }

}

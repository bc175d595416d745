package io.failoverdrill.bench;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.nio.charset.StandardCharsets;

/** Plans the benchmarks run. */
final class Plans {
    private Plans() {
    }

    /** A blackhole drill: after a 5 s baseline it stays armed, evaluating every second, and never ends. */
    static DrillPlan armedBlackhole(String drillId) {
        return plan(drillId, "blackhole", 5, 120, 30, null);
    }

    /**
     * The decision-latency drill: a brownout with a 3 s baseline, a 1 s dwell and a 100 ms p95 SLO, observing twice
     * as long as the live source runs ({@code seconds}).
     */
    static DrillPlan latency(String drillId, int seconds) {
        return plan(drillId, "brownout", 3, seconds * 2, 1, 100.0);
    }

    /** The guard policy of {@code plans/guard.json} for the benchmarks' two regions, as guard {@code guardId}. */
    static DrillPlan guard(String guardId) {
        return io.failoverdrill.schemas.plan.GuardPolicy.decode(("""
                {"guard_id":"%s","regions":["us-east","eu-west"],"detect":{"window_s":10,"p95_ms":250},
                 "routing":{"hysteresis_s":10},"clamp":{"initial_limit":64,"min_limit":4,"backoff_ratio":0.5},
                 "rag_probe":{"k":10,"dualhome_k":5,"delta_s_risk":0.60},"allowed_lateness_ms":2000,
                 "timeline":{"stale_observer_s":10}}
                """).formatted(guardId).getBytes(StandardCharsets.UTF_8));
    }

    private static DrillPlan plan(String drillId, String type, int baselineS, int observeS, int dwellS, Double p95Ms) {
        return Codec.decodePlan(("""
                {"drill_id":"%s","drill_type":"%s","regions":["us-east","eu-west"],"evacuate":"us-east",
                 "promote_survivor":"eu-west","routing":{"mode":"latency","stick_minutes":15,"hysteresis_s":%d},
                 "freeze_writes_on_followers":true,
                 "checks":{"pre":[],"live":["p95_latency","error_rate"],"post":[]},
                 "rag_probe":{"k":10,"dualhome_k":5,"delta_s_risk":0.60,"coverage_min":0.70},
                 "webhook_policy":{"emit_from":"eu-west","dedupe_key":"sha256(event_id+rev)"},
                 "return_to_home":{"rebuild_follower":true,"purge_cache":true,"gradual_weights":[10,30,60,100]},
                 "detect":{"window_s":5%s},"timeline":{"baseline_s":%d,"observe_s":%d}}
                """).formatted(drillId, type, dwellS, p95Ms == null ? "" : ",\"p95_ms\":" + p95Ms, baselineS, observeS)
                .getBytes(StandardCharsets.UTF_8));
    }
}

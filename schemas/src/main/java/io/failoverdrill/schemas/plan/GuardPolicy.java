package io.failoverdrill.schemas.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;

import java.util.ArrayList;
import java.util.List;

/**
 * The policy of {@code drill guard} (continuous clamping, no drill): the plan format's own fields, minus the drill.
 * <pre>{@code
 * {"guard_id": "prod-guard", "regions": ["us-east", "eu-west"],
 *  "detect": {"window_s": 30, "p95_ms": 250},          // the SLO a region is clamped against (required)
 *  "routing": {"hysteresis_s": 30},                     // dwell before a clamp tightens or releases
 *  "clamp": {"initial_limit": 64, "min_limit": 4, "backoff_ratio": 0.5},
 *  "rag_probe": {"k": 10, "dualhome_k": 5, "delta_s_risk": 0.60},
 *  "allowed_lateness_ms": 2000, "timeline": {"stale_observer_s": 10}}
 * }</pre>
 * Decoded into a {@link DrillPlan} (drill id = guard id) so the guard's clamps follow exactly the same rules as a
 * drill's observation phase; every error names its JSON path and the rule.
 */
public final class GuardPolicy {
    /** Every field a guard policy may carry. */
    static final java.util.Set<String> FIELDS = java.util.Set.of("guard_id", "regions", "detect", "routing", "clamp",
            "rag_probe", "allowed_lateness_ms", "timeline", "dry_run");

    private GuardPolicy() {
    }

    public static DrillPlan decode(byte[] bytes) {
        JsonNode root = Codec.parse(bytes);
        List<ContractViolation> errors = new ArrayList<>();
        if (!root.isObject()) {
            throw new PlanDecoder.PlanInvalid(List.of(new ContractViolation("$", "must be a JSON object")));
        }
        ObjectNode plan = ((ObjectNode) root).deepCopy();
        root.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                errors.add(new ContractViolation("$." + f, "is not a field of a guard policy" + NearestName.hint(f, FIELDS)));
            }
        });
        JsonNode id = root.get("guard_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            errors.add(new ContractViolation("$.guard_id", "is required (a non-empty string)"));
        }
        JsonNode regions = root.get("regions");
        if (regions == null || !regions.isArray() || regions.isEmpty() || !regions.get(0).isTextual()) {
            errors.add(new ContractViolation("$.regions", "is required (a non-empty array of region ids)"));
        }
        if (!root.path("detect").has("p95_ms")) {
            errors.add(new ContractViolation("$.detect.p95_ms", "is required: the latency SLO a region is clamped against"));
        }
        if (!errors.isEmpty()) {
            throw new PlanDecoder.PlanInvalid(errors);
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        String first = regions.get(0).asText();
        plan.remove("guard_id");
        plan.put("drill_id", id.asText());
        plan.put("drill_type", "brownout");
        plan.put("evacuate", first);
        plan.put("promote_survivor", regions.size() > 1 ? regions.get(1).asText() : first);
        plan.put("freeze_writes_on_followers", false);
        ObjectNode routing = plan.has("routing") && plan.get("routing").isObject() ? (ObjectNode) plan.get("routing") : plan.putObject("routing");
        if (!routing.has("mode")) {
            routing.put("mode", "latency");
        }
        if (!routing.has("stick_minutes")) {
            routing.put("stick_minutes", 0);
        }
        if (!routing.has("hysteresis_s")) {
            routing.put("hysteresis_s", 30);
        }
        ObjectNode checks = plan.putObject("checks");
        checks.set("pre", f.arrayNode());
        checks.set("live", f.arrayNode());
        checks.set("post", f.arrayNode());
        if (!plan.has("rag_probe")) {
            plan.putObject("rag_probe").put("k", 10).put("dualhome_k", 5).put("delta_s_risk", 0.60).put("coverage_min", 0.70);
        } else if (plan.get("rag_probe").isObject() && !plan.get("rag_probe").has("coverage_min")) {
            ((ObjectNode) plan.get("rag_probe")).put("coverage_min", 0.70);
        }
        plan.putObject("webhook_policy").put("emit_from", first).put("dedupe_key", "sha256(event_id+rev)");
        ArrayNode weights = f.arrayNode().add(100);
        ObjectNode home = plan.putObject("return_to_home").put("rebuild_follower", false).put("purge_cache", false);
        home.set("gradual_weights", weights);
        return PlanDecoder.decode(plan);
    }
}

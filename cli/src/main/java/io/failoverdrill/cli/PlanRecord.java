package io.failoverdrill.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.GuardPolicy;
import io.failoverdrill.schemas.plan.PlanDecoder;

/**
 * One record of the plans topic (docs/contracts.md §7): key = drill or guard id, value = a drill plan (§6) or a guard
 * policy (one with {@code guard_id}). A plan without {@code drill_id} takes the key as its id; a plan whose id is not
 * the key is refused.
 *
 * @param guard true for a guard policy (hosted at once), false for a drill plan (started by its start control event)
 */
record PlanRecord(String id, DrillPlan plan, boolean guard) {
    /**
     * Decodes {@code value}; {@code key} null: the id is the plan's own. Throws {@link PlanDecoder.PlanInvalid} or
     * {@link ContractViolation} naming the field and the rule.
     */
    static PlanRecord decode(String key, byte[] value) {
        JsonNode root = Codec.parse(value);
        boolean guard = isPolicy(root);
        DrillPlan plan = guard ? GuardPolicy.decode(value) : Codec.decodePlan(value);
        if (!guard && !root.has("drill_id")) {
            if (key == null) {
                throw new ContractViolation("$.drill_id", "is required to submit a plan (the plans topic's key)");
            }
            plan = plan.withDrillId(key);
        }
        if (key != null && !key.equals(plan.drillId())) {
            throw new ContractViolation(guard ? "$.guard_id" : "$.drill_id", "is '" + plan.drillId()
                    + "' but the record's key is '" + key + "': they must be equal");
        }
        return new PlanRecord(plan.drillId(), plan, guard);
    }

    /** A guard policy (it has {@code guard_id}) rather than a drill plan. */
    static boolean isPolicy(JsonNode root) {
        return root.has("guard_id");
    }

    /** {@link #isPolicy} of a record's value; false when it is not JSON at all. */
    static boolean isPolicy(byte[] value) {
        try {
            return isPolicy(Codec.parse(value));
        } catch (ContractViolation notJson) {
            return false;
        }
    }

    String kind() {
        return guard ? "guard" : "drill";
    }
}

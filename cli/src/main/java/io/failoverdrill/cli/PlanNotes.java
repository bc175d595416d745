package io.failoverdrill.cli;

import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;

import java.util.ArrayList;
import java.util.List;

/**
 * What a valid plan needs from the world that its JSON cannot show: one line per need, each naming the field. A plan
 * with notes is still valid; a check whose signal never comes fails for want of data, so the notes say so up front.
 */
final class PlanNotes {
    private PlanNotes() {
    }

    static final String STICK_ANNOUNCED = "stick_announced";

    /** The notes for {@code plan}, in field order; empty when it needs nothing beyond its telemetry. */
    static List<String> of(DrillPlan plan) {
        List<String> notes = new ArrayList<>();
        if (plan.checks() != null && plan.checks().lists(STICK_ANNOUNCED)) {
            notes.add(plan.drillType() == DrillType.INDEX_SKEW
                    ? "$.checks: " + STICK_ANNOUNCED + " fails in an index_skew drill, which issues no stick: nothing to announce"
                    : "$.checks: " + STICK_ANNOUNCED + " needs request telemetry carrying stick_region — the HTTP probe reads "
                    + "it from the service's X-Stick-Region response header; OTLP and blackbox telemetry carry none, and "
                    + "without it the check fails for want of data");
        }
        return notes;
    }
}

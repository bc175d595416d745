package io.failoverdrill.engine.core.drill;

import io.failoverdrill.schemas.plan.DrillType;

/**
 * A) Planned evacuation (brownout): the region is throttled by policy and drained to the survivor without flapping.
 * This is the runbook every other drill varies ({@link DrillScript}'s defaults):
 * <ul>
 *   <li>precheck: baseline window, then the gate; evacuate at once;</li>
 *   <li>evacuate: freeze the followers' writes (enqueue), drain the region to weight 0;</li>
 *   <li>promote: exactly one writer, sessions stuck to it for {@code routing.stick_minutes};</li>
 *   <li>observe: clamp a degrading survivor; verify: every check; then closeout.</li>
 * </ul>
 */
final class Brownout implements DrillScript {
    @Override
    public DrillType type() {
        return DrillType.BROWNOUT;
    }

    @Override
    public Scenario scenario() {
        return new Scenario("brownout", Scenario.FaultTiming.ON_EVACUATE, false);
    }
}

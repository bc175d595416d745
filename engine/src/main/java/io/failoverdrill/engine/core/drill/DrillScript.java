package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.CheckRegistry;
import io.failoverdrill.engine.core.check.CheckResult;
import io.failoverdrill.schemas.plan.DrillType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one drill type does in each phase of the runbook (one implementation per {@link DrillType}, after
 * resilience4j's one-class-per-state). The shared machinery — the phase loop, command issuing under the safety
 * invariants, verdicts, weights — lives in {@link Drill} and is handed to every method explicitly; implementations
 * keep only the state their drill needs (an outage detector, a skew finding, the return-home steps).
 *
 * <p>The defaults are the planned evacuation every drill type starts from: the gate, then evacuate at once (freeze
 * the followers' writes, drain the region), promote exactly one writer and stick sessions to it, observe and
 * clamp, verify every check, close out. A drill type overrides the phases it does differently.
 */
public interface DrillScript {
    DrillType type();

    /** The fault this drill stages, and whether an operator repairs the region afterwards. */
    Scenario scenario();

    /** The gate's verdicts, evaluated once the baseline window has passed. */
    default List<CheckResult> preChecks(Drill d) {
        return CheckRegistry.preChecks(d, false);
    }

    /** The gate passed at {@code nowMs}: evacuate now, or arm and wait. */
    default void gatePassed(Drill d, long nowMs, Map<String, Object> evidence) {
        d.evacuate(nowMs, "evacuate", evidence);
    }

    /** Each tick in {@code precheck} after the gate passed, while the drill is armed. */
    default void armed(Drill d, long nowMs) {
    }

    /** The evacuation decision was taken: issue its commands (the phase is already {@code evacuate}). */
    default void evacuate(Drill d, long nowMs, String rulePrefix, Map<String, Object> evidence) {
        d.freezeFollowersAndDrain(nowMs, rulePrefix, evidence);
    }

    /** Every evacuation command was applied. */
    default void evacuated(Drill d, long nowMs) {
        d.promote(nowMs);
    }

    /** The promotion's commands (the phase is already {@code promote}). */
    default void promote(Drill d, long nowMs, Map<String, Object> evidence) {
        d.promoteSurvivor(nowMs, evidence);
    }

    /** Each tick in {@code verify}: every verdict after the cutover, then the closeout's, then done. */
    default void verify(Drill d, long nowMs) {
        if (d.verdictsAfterCutover(nowMs)) {
            d.postVerdicts(nowMs, false);
            d.finish(nowMs);
        }
    }

    /** Each tick in {@code return_home}. */
    default void returnHome(Drill d, long nowMs) {
    }

    /** Regions no command may count as a healthy target now (being evacuated, or not yet rebuilt). */
    default Set<String> notServable(Drill d) {
        return d.repairDone() ? Set.of() : Set.of(d.plan().evacuate());
    }

    /** What {@code verify} is waiting for, for progress displays, or null. */
    default String verifyWaiting(long inPhaseS, int timeoutS) {
        return null;
    }

    /** A detection dwell in progress, for progress displays, or null. */
    default String dwell() {
        return null;
    }
}

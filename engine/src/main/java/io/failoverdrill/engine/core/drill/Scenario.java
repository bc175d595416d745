package io.failoverdrill.engine.core.drill;

/**
 * What a drill of one type does to the world, for whoever stages it (the demo, a synthetic world, an operator's
 * runbook): the {@code fault} control event it announces, when, and whether an operator's {@code repair_done}
 * follows. The engine itself never trusts a fault as a health signal; it decides on telemetry.
 *
 * @param faultKind the {@code fault.kind} of the control event (docs/contracts.md §2)
 */
public record Scenario(String faultKind, FaultTiming timing, boolean operatorRepairs) {
    /** When the fault begins, relative to the drill's own phases. */
    public enum FaultTiming {
        /** Before the drill starts: the state the pre-checks see is already the fault (e.g. a skewed index). */
        BEFORE_START,
        /** After the baseline window, while the drill is armed: the engine must detect it (a blackhole). */
        AFTER_BASELINE,
        /** When the drill evacuates the region (a planned brownout). */
        ON_EVACUATE
    }
}

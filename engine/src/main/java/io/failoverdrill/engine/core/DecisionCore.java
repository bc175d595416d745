package io.failoverdrill.engine.core;

import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.InputEvent;

import java.util.List;

/**
 * A pure decision maker the runtime feeds: (events in arrival order) → decisions, deciding on whole seconds of the
 * event-time watermark. {@link DrillCore} runs a drill; {@link GuardCore} clamps continuously without one.
 */
public interface DecisionCore {
    /** The id its decisions carry (drill id or guard id); also the fencing and journal key. */
    String id();

    /** Feeds one event; returns the decisions it caused (often none), in log order. */
    List<Decision> accept(InputEvent event);

    long lastSeq();

    /** A dry run: its commands go where no actuator reads them ({@code <prefix>dryrun.commands}). */
    default boolean dryRun() {
        return false;
    }

    /**
     * Why the core will not act on {@code event} — a start refused while an emergency stop is in force — or null.
     * Ask before {@link #accept}: the runtime dead-letters a refused event with this reason, the core drops it.
     */
    default String refusal(InputEvent event) {
        return null;
    }

    Phase phase();

    /**
     * True once nothing the core may still read can lead to another decision: a drill in a terminal phase. A guard is
     * never over (an emergency stop pauses it until cleared).
     */
    default boolean over() {
        return phase().terminal();
    }

    /** The event-time watermark, epoch ms, or {@code Long.MIN_VALUE} before any telemetry. */
    long watermarkMs();

    io.failoverdrill.engine.core.time.EventCounts counts();

    /** How far (ms) behind the watermark an event may arrive and still count. */
    long allowedLatenessMs();

    /**
     * A progress snapshot for displays (phase, countdowns, dwell, per-region p95 and error rate over the detection
     * window); call it on the thread that feeds the core.
     */
    java.util.Map<String, Object> progress();

    /**
     * The core's whole state, from which {@link #restore} continues exactly as this core would — or null when the
     * core keeps none and recovers from its journal alone (a drill: bounded by the drill's length). Taken between
     * events, on the feeding thread.
     */
    default com.fasterxml.jackson.databind.node.ObjectNode snapshot() {
        return null;
    }

    /**
     * Replaces a fresh core's state with a {@link #snapshot()} of a core built from the same plan or policy.
     *
     * @throws IllegalArgumentException naming why it cannot (another id, another policy, another kind of core)
     */
    default void restore(com.fasterxml.jackson.databind.JsonNode snapshot) {
        throw new IllegalArgumentException("this core keeps no snapshots");
    }

    /** Regions with a clamp in force (clamped, not released); safe to read from any thread, for a gauge. */
    default int clampsInForce() {
        return 0;
    }

    /** The emergency stops in force (after a restore, the runtime learns from them which stop a clearing may lift). */
    default java.util.Collection<io.failoverdrill.schemas.event.StopEvent> stopsInForce() {
        return java.util.List.of();
    }
}

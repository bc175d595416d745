package io.failoverdrill.engine.core;

import io.failoverdrill.schemas.event.StopEvent;

import java.util.Map;
import java.util.TreeMap;

/**
 * The emergency stops in force, by scope (docs/contracts.md §7): a stop record sets its scope, a tombstone clears
 * it. Stops act when they arrive — not when the watermark passes their {@code ts} — so that an operator's stop
 * takes effect within one poll even while event time stands still.
 */
final class EmergencyStops {
    private final Map<String, StopEvent> active = new TreeMap<>();

    /** Applies a stop or its clearing. */
    void apply(StopEvent s) {
        if (s.clear()) {
            active.remove(s.scope());
        } else {
            active.put(s.scope(), s);
        }
    }

    /** The stop in force for {@code id} ({@code all} first), or null. */
    StopEvent covering(String id) {
        StopEvent all = active.get(StopEvent.ALL);
        return all != null ? all : active.get(id);
    }

    /** Why a start of {@code id} is refused now, or null when no stop covers it. */
    String refusesStart(String id) {
        StopEvent s = covering(id);
        return s == null ? null : "start refused: emergency stop '" + s.scope() + "' (event " + s.eventId()
                + ") is in force until it is cleared (drill stop --clear " + (s.scope().equals(StopEvent.ALL) ? "--all"
                : "--drill " + s.scope()) + ")";
    }

    /** The stops in force, by scope. */
    java.util.Collection<StopEvent> inForce() {
        return java.util.List.copyOf(active.values());
    }

    /** The stop as the evidence of a {@code stopped} phase. */
    static Map<String, Object> evidence(StopEvent s) {
        Map<String, Object> m = new TreeMap<>();
        m.put("stop", s.toJson());
        return m;
    }
}

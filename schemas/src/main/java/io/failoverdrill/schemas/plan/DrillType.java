package io.failoverdrill.schemas.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The five drills of the seed page (A–E), by their plan name ({@code drill_type}). What each one does in each phase
 * is written in one class of the engine per constant.
 */
public enum DrillType {
    /** A) planned evacuation: throttle a region by policy, drain it to the survivor without flapping. */
    BROWNOUT,
    /** B) hard outage: the region is blackholed; evacuate only once telemetry shows it down. */
    BLACKHOLE,
    /** C) index skew: a follower published with the wrong metric or analyzer is refused and rebuilt. */
    INDEX_SKEW,
    /** D) webhook and egress reroute: third-party webhooks only from the survivor, no duplicates. */
    WEBHOOK_REROUTE,
    /** E) return-to-home: after repair, rebuild, re-warm and rebalance the home region. */
    RETURN_HOME;

    /** The plan's spelling, e.g. {@code index_skew}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every plan spelling, in declaration order. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(DrillType::wire).toList();
    }

    /** The type spelt {@code s} in a plan; throws naming the allowed values otherwise. */
    public static DrillType fromWire(String s) {
        for (DrillType t : values()) {
            if (t.wire().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("drill type '" + s + "' is not one of " + String.join(", ", wireNames()));
    }

    @Override
    public String toString() {
        return wire();
    }
}

package io.failoverdrill.schemas.decision;

import java.util.Locale;

/** Drill phases (docs/contracts.md §5). */
public enum Phase {
    IDLE, PRECHECK, EVACUATE, PROMOTE, OBSERVE, VERIFY, RETURN_HOME, CLOSEOUT, DONE, ABORTED,
    /** An emergency stop ended the drill: no further command (docs/contracts.md §7). */
    STOPPED;

    /** True for {@code done}, {@code aborted} and {@code stopped}: the drill is over. */
    public boolean terminal() {
        return this == DONE || this == ABORTED || this == STOPPED;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The phase with wire name {@code s}, or null. */
    public static Phase fromWire(String s) {
        for (Phase p : values()) {
            if (p.wire().equals(s)) {
                return p;
            }
        }
        return null;
    }
}

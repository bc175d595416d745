package io.failoverdrill.schemas.decision;

import java.util.Locale;

/** Drill phases (CONTRACTS.md §5). */
public enum Phase {
    IDLE, PRECHECK, EVACUATE, PROMOTE, OBSERVE, VERIFY, RETURN_HOME, CLOSEOUT, DONE, ABORTED;

    /** True for {@code done} and {@code aborted}: the drill is over. */
    public boolean terminal() {
        return this == DONE || this == ABORTED;
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

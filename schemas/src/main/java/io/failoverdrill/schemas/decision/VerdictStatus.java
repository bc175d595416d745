package io.failoverdrill.schemas.decision;

import java.util.Locale;

/**
 * A verdict's {@code status} (docs/contracts.md §5): {@code pass}, {@code fail}, or {@code not_applicable} — only where the
 * plan marks the check so ({@code acceptance.not_applicable}); never a default for a check that saw no data.
 */
public enum VerdictStatus {
    PASS, FAIL, NOT_APPLICABLE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status spelt {@code s}, or null. */
    public static VerdictStatus fromWire(String s) {
        for (VerdictStatus v : values()) {
            if (v.wire().equals(s)) {
                return v;
            }
        }
        return null;
    }

    public static VerdictStatus of(boolean pass) {
        return pass ? PASS : FAIL;
    }
}

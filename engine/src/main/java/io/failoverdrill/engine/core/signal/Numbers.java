package io.failoverdrill.engine.core.signal;

/** Rounding for evidence values, so logs stay readable and byte-stable. */
public final class Numbers {
    private Numbers() {
    }

    public static double round1(double v) {
        return round(v, 1);
    }

    public static double round3(double v) {
        return round(v, 3);
    }

    /** {@code v} rounded half up to {@code places} decimals. */
    public static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }
}

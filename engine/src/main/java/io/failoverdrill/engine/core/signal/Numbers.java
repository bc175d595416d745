package io.failoverdrill.engine.core.signal;

/** Rounding for evidence values, so logs stay readable and byte-stable. */
public final class Numbers {
    private Numbers() {
    }

    public static double round1(double v) {
        return Math.round(v * 10.0) / 10.0;
    }

    public static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}

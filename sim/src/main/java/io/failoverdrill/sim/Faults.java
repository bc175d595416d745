package io.failoverdrill.sim;

/**
 * Faults currently injected into one region: added latency (brownout), no answers at all (blackhole), an error
 * burst (share of requests answered 503), and a cold-start storm (share of requests served by a cold instance
 * with extra latency, flagged with the {@code X-Cold} response header).
 */
public record Faults(double addedLatencyMs, boolean blackhole, double errorRate, double coldShare,
                     double coldExtraMs) {
    public static final Faults NONE = new Faults(0, false, 0, 0, 0);

    public Faults withBrownout(double ms) {
        return new Faults(ms, blackhole, errorRate, coldShare, coldExtraMs);
    }

    public Faults withBlackhole(boolean on) {
        return new Faults(addedLatencyMs, on, errorRate, coldShare, coldExtraMs);
    }

    public Faults withErrorRate(double rate) {
        return new Faults(addedLatencyMs, blackhole, rate, coldShare, coldExtraMs);
    }

    public Faults withColdStorm(double share, double extraMs) {
        return new Faults(addedLatencyMs, blackhole, errorRate, share, extraMs);
    }
}

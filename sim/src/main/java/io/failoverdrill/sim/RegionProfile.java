package io.failoverdrill.sim;

/**
 * How a simulated region behaves when healthy: log-normal latency with median {@code medianMs} and shape
 * {@code sigma}, plus {@code msPerInflight} for every request already in flight (so load moved onto a region
 * really slows it), and a baseline error rate.
 */
public record RegionProfile(String name, double medianMs, double sigma, double msPerInflight, double errorRate,
                            long seed) {
    public RegionProfile {
        if (medianMs <= 0 || sigma < 0 || msPerInflight < 0 || errorRate < 0 || errorRate > 1) {
            throw new IllegalArgumentException("bad region profile for " + name + ": median " + medianMs
                    + " ms, sigma " + sigma + ", ms/inflight " + msPerInflight + ", error rate " + errorRate);
        }
    }
}

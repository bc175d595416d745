package io.failoverdrill.probes;

/**
 * Wall-clock time for stamping observations: the only place the product reads the clock to make an event's
 * {@code ts}. Intervals are measured on the monotonic clock and anchored to one wall-clock reading.
 */
final class ProbeClock {
    private final long wallAnchorMs = System.currentTimeMillis();
    private final long nanoAnchor = System.nanoTime();

    long nowMs() {
        return wallAnchorMs + (System.nanoTime() - nanoAnchor) / 1_000_000;
    }

    long nanos() {
        return System.nanoTime();
    }
}

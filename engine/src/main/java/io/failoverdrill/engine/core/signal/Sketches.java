package io.failoverdrill.engine.core.signal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;

/**
 * The one latency sketch configuration: DDSketch, 2 % relative accuracy, at most 128 dense bins — a 166× range
 * (e.g. 12 ms … 2 s) per bucket before the lowest bins collapse, so high percentiles keep their 2 % guarantee — for
 * ≈ 1 KiB per 1-second bucket whatever the traffic. Mergeable and insertion-order independent.
 */
public final class Sketches {
    public static final double RELATIVE_ACCURACY = 0.02;
    public static final int MAX_BINS = 128;

    private Sketches() {
    }

    public static DDSketch newLatencySketch() {
        return DDSketches.collapsingLowestDense(RELATIVE_ACCURACY, MAX_BINS);
    }
}

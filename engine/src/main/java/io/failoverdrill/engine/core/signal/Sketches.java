package io.failoverdrill.engine.core.signal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;

/**
 * The one latency sketch configuration: DDSketch, 1 % relative accuracy, at most 256 dense bins (lowest bins
 * collapse first, so high percentiles stay exact to 1 %). Mergeable and insertion-order independent.
 */
public final class Sketches {
    public static final double RELATIVE_ACCURACY = 0.01;
    public static final int MAX_BINS = 256;

    private Sketches() {
    }

    public static DDSketch newLatencySketch() {
        return DDSketches.collapsingLowestDense(RELATIVE_ACCURACY, MAX_BINS);
    }
}

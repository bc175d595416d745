package io.failoverdrill.engine.core.signal;

import com.datadoghq.sketch.ddsketch.DDSketch;

import java.util.Map;
import java.util.TreeMap;

/** Latency percentiles in milliseconds over some set of samples ({@code count} of them; NaN when empty). */
public record LatencyStats(long count, double p50, double p75, double p95, double p99) {
    public static final LatencyStats EMPTY = new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public static LatencyStats of(DDSketch sketch) {
        if (sketch.isEmpty()) {
            return EMPTY;
        }
        double[] q = sketch.getValuesAtQuantiles(new double[]{0.50, 0.75, 0.95, 0.99});
        return new LatencyStats(Math.round(sketch.getCount()), q[0], q[1], q[2], q[3]);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Evidence form, values rounded to 0.1 ms. */
    public Map<String, Object> toEvidence() {
        Map<String, Object> m = new TreeMap<>();
        m.put("samples", count);
        if (count > 0) {
            m.put("p50_ms", Numbers.round1(p50));
            m.put("p75_ms", Numbers.round1(p75));
            m.put("p95_ms", Numbers.round1(p95));
            m.put("p99_ms", Numbers.round1(p99));
        }
        return m;
    }
}

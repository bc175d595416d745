package io.failoverdrill.engine.core.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

    /**
     * A latency sketch's bins, for a snapshot: {@code {"zero": count, "pos": [index, count, …], "neg": […]}}. The
     * index mapping is this class's one configuration, so the bins are the whole state.
     */
    public static ObjectNode state(DDSketch sketch) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        // the zero bin's count is not exposed: it is what the two stores do not hold (whole counts: exact)
        n.put("zero", sketch.getCount() - sketch.getPositiveValueStore().getTotalCount()
                - sketch.getNegativeValueStore().getTotalCount());
        ArrayNode pos = n.putArray("pos");
        sketch.getPositiveValueStore().forEach((index, count) -> pos.add(index).add(count));
        ArrayNode neg = n.putArray("neg");
        sketch.getNegativeValueStore().forEach((index, count) -> neg.add(index).add(count));
        return n;
    }

    /** Replaces {@code sketch}'s bins with {@link #state}'s (a sketch of this class's configuration). */
    public static void restore(DDSketch sketch, JsonNode n) {
        sketch.clear();
        JsonNode pos = n.get("pos");
        for (int i = 0; i + 1 < pos.size(); i += 2) {
            sketch.getPositiveValueStore().add(pos.get(i).intValue(), pos.get(i + 1).doubleValue());
        }
        JsonNode neg = n.get("neg");
        for (int i = 0; i + 1 < neg.size(); i += 2) {
            sketch.getNegativeValueStore().add(neg.get(i).intValue(), neg.get(i + 1).doubleValue());
        }
        double zero = n.get("zero").doubleValue();
        if (zero > 0) {
            sketch.accept(0.0, zero);
        }
    }
}

package io.failoverdrill.engine.core.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Event time. Each telemetry observer's clock is the largest {@code ts} it has sent. An observer whose clock is
 * more than {@code staleAfterMs} behind the most advanced observer is <em>stale</em> and no longer holds time
 * back. Watermark = min over live observers of their clock, minus {@code allowedLatenessMs}; it never goes back.
 * An event with {@code ts} below the watermark is late.
 */
public final class EventClock {
    private final long allowedLatenessMs;
    private final long staleAfterMs;
    /** Each observer's clock, in a one-slot array so that an event updates it in place (no boxing). */
    private final Map<String, long[]> observerClocks = new HashMap<>();
    /** The same clocks, for the per-event minimum without an iterator. */
    private final List<long[]> clocks = new ArrayList<>();
    private long maxClock = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;

    public EventClock(long allowedLatenessMs, long staleAfterMs) {
        if (allowedLatenessMs < 0 || staleAfterMs <= 0) {
            throw new IllegalArgumentException("allowedLatenessMs must be ≥ 0 and staleAfterMs > 0, got "
                    + allowedLatenessMs + ", " + staleAfterMs);
        }
        this.allowedLatenessMs = allowedLatenessMs;
        this.staleAfterMs = staleAfterMs;
    }

    /** True when an event at {@code tsMs} arrives behind the watermark. */
    public boolean isLate(long tsMs) {
        return tsMs < watermark;
    }

    /** Advances {@code observer}'s clock to {@code tsMs} and returns the (possibly advanced) watermark. */
    public long observe(String observer, long tsMs) {
        long[] own = observerClocks.get(observer);
        if (own == null) {
            own = new long[] {tsMs};
            observerClocks.put(observer, own);
            clocks.add(own);
        } else if (tsMs > own[0]) {
            own[0] = tsMs;
        }
        maxClock = Math.max(maxClock, tsMs);
        long min = Long.MAX_VALUE;
        for (int i = 0; i < clocks.size(); i++) {
            long clock = clocks.get(i)[0];
            if (clock >= maxClock - staleAfterMs && clock < min) {
                min = clock;
            }
        }
        watermark = Math.max(watermark, min - allowedLatenessMs);
        return watermark;
    }

    public long watermark() {
        return watermark;
    }

    /** Observers whose clock is within {@code staleAfterMs} of the most advanced one. */
    public int liveObservers() {
        int n = 0;
        for (long[] clock : clocks) {
            if (clock[0] >= maxClock - staleAfterMs) {
                n++;
            }
        }
        return n;
    }

    /** Whether {@code observer} is known and live at the current event time. */
    public boolean isLive(String observer) {
        long[] clock = observerClocks.get(observer);
        return clock != null && clock[0] >= maxClock - staleAfterMs;
    }

    public long allowedLatenessMs() {
        return allowedLatenessMs;
    }

    /** Each observer's clock, the largest clock and the watermark, for a snapshot. */
    public ObjectNode state() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode byObserver = n.putObject("clocks");
        new java.util.TreeMap<>(observerClocks).forEach((o, c) -> byObserver.put(o, c[0]));
        n.put("max_clock", maxClock).put("watermark", watermark);
        return n;
    }

    /** Replaces this clock's state with {@link #state()}'s. */
    public void restore(JsonNode n) {
        observerClocks.clear();
        clocks.clear();
        n.get("clocks").fields().forEachRemaining(e -> {
            long[] own = {e.getValue().longValue()};
            observerClocks.put(e.getKey(), own);
            clocks.add(own);
        });
        maxClock = n.get("max_clock").longValue();
        watermark = n.get("watermark").longValue();
    }
}

package io.failoverdrill.engine.core;

import java.util.HashMap;
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
    private final Map<String, Long> observerClocks = new HashMap<>();
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
        observerClocks.merge(observer, tsMs, Math::max);
        maxClock = Math.max(maxClock, tsMs);
        long min = Long.MAX_VALUE;
        for (long clock : observerClocks.values()) {
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
        for (long clock : observerClocks.values()) {
            if (clock >= maxClock - staleAfterMs) {
                n++;
            }
        }
        return n;
    }

    /** Whether {@code observer} is known and live at the current event time. */
    public boolean isLive(String observer) {
        Long clock = observerClocks.get(observer);
        return clock != null && clock >= maxClock - staleAfterMs;
    }

    public long allowedLatenessMs() {
        return allowedLatenessMs;
    }
}

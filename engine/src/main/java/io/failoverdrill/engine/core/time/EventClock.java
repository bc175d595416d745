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
 *
 * <p>A <em>lone jump</em> — an event more than {@code staleAfterMs} ahead of every clock, while another observer is
 * live — does not move its observer's clock until it is confirmed: otherwise one probe with a wrong clock, or one
 * record with a wrong {@code ts}, would make every other observer stale at once and all their telemetry late — a
 * guard blind for as long as the error. A jump is confirmed by a second observer jumping as far (within
 * {@code staleAfterMs} of it: probes resuming together after a pause), or by its observer's own clock going on for
 * {@code staleAfterMs} past its first jump while no other observer reports (the others fell silent: the one probe
 * left after a pause). Any other observer's event restarts that second count; the observer's own accepted event
 * drops its jump (a glitch). A sole live observer jumps freely.
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
    /**
     * Each observer's lone jump waiting to be confirmed, by observer (empty nearly always): {@code {since, latest}} —
     * its clock when no other observer had reported since, and the furthest it has jumped.
     */
    private final Map<String, long[]> pendingJumps = new java.util.TreeMap<>();

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

    /**
     * Advances {@code observer}'s clock to {@code tsMs} — unless it is a lone jump, which waits to be confirmed —
     * and returns the (possibly advanced) watermark.
     */
    public long observe(String observer, long tsMs) {
        if (maxClock != Long.MIN_VALUE && tsMs > maxClock + staleAfterMs && anotherLive(observer)) {
            long[] own = pendingJumps.computeIfAbsent(observer, o -> new long[] {tsMs, tsMs});
            own[1] = Math.max(own[1], tsMs);
            List<String> company = new ArrayList<>();
            pendingJumps.forEach((o, jump) -> {
                if (!o.equals(observer) && Math.abs(jump[1] - tsMs) <= staleAfterMs) {
                    company.add(o);
                }
            });
            if (company.isEmpty() && own[1] - own[0] < staleAfterMs) {
                restartSilence(observer);
                return watermark;
            }
            for (String o : company) {
                advance(o, pendingJumps.remove(o)[1]);
            }
            pendingJumps.remove(observer);
            return advance(observer, own[1]);
        }
        if (!pendingJumps.isEmpty()) {
            pendingJumps.remove(observer);
            restartSilence(observer);
        }
        return advance(observer, tsMs);
    }

    /** {@code observer} reported: every other observer's pending jump counts the others' silence afresh. */
    private void restartSilence(String observer) {
        pendingJumps.forEach((o, jump) -> {
            if (!o.equals(observer)) {
                jump[0] = jump[1];
            }
        });
    }

    /** Whether an observer other than {@code observer} is live (within {@code staleAfterMs} of the most advanced). */
    private boolean anotherLive(String observer) {
        for (Map.Entry<String, long[]> e : observerClocks.entrySet()) {
            if (e.getValue()[0] >= maxClock - staleAfterMs && !e.getKey().equals(observer)) {
                return true;
            }
        }
        return false;
    }

    private long advance(String observer, long tsMs) {
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
        ObjectNode pending = n.putObject("pending_jumps");
        pendingJumps.forEach((o, jump) -> pending.putArray(o).add(jump[0]).add(jump[1]));
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
        pendingJumps.clear();
        n.path("pending_jumps").fields().forEachRemaining(e -> // absent from snapshots taken before lone jumps were held
                pendingJumps.put(e.getKey(), new long[] {e.getValue().get(0).longValue(), e.getValue().get(1).longValue()}));
    }
}

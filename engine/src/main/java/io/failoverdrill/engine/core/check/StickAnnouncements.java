package io.failoverdrill.engine.core.check;

import io.failoverdrill.schemas.event.Telemetry;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which region the service's responses announced as their session's stick region (request telemetry's
 * {@code stick_region}, from the {@code X-Stick-Region} header; seed runbook step 2: "announce stick region in response
 * headers for ongoing sessions"), per second of event time, from the evacuation decision on. Service responses only:
 * a request with an HTTP answer, not a status endpoint's failed read. Bounded by the drill's length.
 */
public final class StickAnnouncements {
    /** What a response that announced nothing counts under. */
    public static final String NONE = "";
    /** Second of event time → announced region ({@link #NONE}: none) → responses (one counter each). */
    private final TreeMap<Long, Map<String, long[]>> bySecond = new TreeMap<>();
    /** The second events arrive in, and its counts: the map is looked up (and a key boxed) only when it changes. */
    private long second = Long.MIN_VALUE;
    private Map<String, long[]> counts;

    /** One request event, stamped {@code tsMs}. */
    public void request(long tsMs, Telemetry.Request r) {
        if (r.status() == 0 || (r.target() != null && r.target().startsWith("status:"))) {
            return;
        }
        long s = Math.floorDiv(tsMs, 1000);
        if (s != second) {
            second = s;
            counts = bySecond.computeIfAbsent(s, k -> new TreeMap<>());
        }
        counts.computeIfAbsent(r.stickRegion() == null ? NONE : r.stickRegion(), k -> new long[1])[0] += r.requests();
    }

    /**
     * Responses by announced region over the whole seconds from {@code fromMs} (the first second starting at or after
     * it) to {@code untilMs} (exclusive).
     */
    public Map<String, Long> between(long fromMs, long untilMs) {
        Map<String, Long> out = new TreeMap<>();
        long first = Math.floorDiv(fromMs + 999, 1000);
        long end = Math.floorDiv(untilMs, 1000);
        if (first < end) { // an empty or inverted window (a stick that ended before it was applied) holds nothing
            bySecond.subMap(first, true, end, false).values()
                    .forEach(m -> m.forEach((region, n) -> out.merge(region, n[0], Long::sum)));
        }
        return out;
    }
}

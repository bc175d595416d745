package io.failoverdrill.engine.core.time;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remembers {@code event_id}s so a repeated id is not counted twice. Memory is bounded by event time: ids of events
 * older than the watermark are forgotten (such an event would be late, and so unused, anyway).
 */
public final class DuplicateFilter {
    private final IdSet seen = new IdSet();
    private final TreeMap<Long, List<String>> bySecond = new TreeMap<>();
    /** The second the last id went to, and its list: events mostly arrive second after second. */
    private long lastSecond = Long.MIN_VALUE;
    private List<String> lastList;

    /** Records {@code eventId}; returns false if it was seen before. */
    public boolean firstTime(String eventId, long tsMs) {
        if (!seen.add(eventId)) {
            return false;
        }
        long second = Math.floorDiv(tsMs, 1000);
        if (second != lastSecond || lastList == null) {
            lastSecond = second;
            // sized like the previous second's: a backlog brings thousands of ids per second
            int hint = lastList == null ? 64 : Math.max(64, lastList.size());
            lastList = bySecond.computeIfAbsent(second, s -> new ArrayList<>(hint));
        }
        lastList.add(eventId);
        return true;
    }

    /** Forgets ids of events whose second lies wholly before {@code watermarkMs}. */
    public void forgetBefore(long watermarkMs) {
        long limit = Math.floorDiv(watermarkMs, 1000);
        while (!bySecond.isEmpty() && bySecond.firstKey() < limit) {
            Map.Entry<Long, List<String>> e = bySecond.pollFirstEntry();
            for (String id : e.getValue()) {
                seen.remove(id);
            }
            if (e.getKey() == lastSecond) {
                lastList = null;
            }
        }
    }

    public int size() {
        return seen.size();
    }
}

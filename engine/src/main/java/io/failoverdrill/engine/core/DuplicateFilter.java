package io.failoverdrill.engine.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Remembers {@code event_id}s so a repeated id is not counted twice. Memory is bounded by event time: ids of events
 * older than the watermark are forgotten (such an event would be late, and so unused, anyway).
 */
public final class DuplicateFilter {
    private final Set<String> seen = new HashSet<>();
    private final TreeMap<Long, List<String>> bySecond = new TreeMap<>();

    /** Records {@code eventId}; returns false if it was seen before. */
    public boolean firstTime(String eventId, long tsMs) {
        if (!seen.add(eventId)) {
            return false;
        }
        bySecond.computeIfAbsent(Math.floorDiv(tsMs, 1000), s -> new ArrayList<>(4)).add(eventId);
        return true;
    }

    /** Forgets ids of events whose second lies wholly before {@code watermarkMs}. */
    public void forgetBefore(long watermarkMs) {
        long limit = Math.floorDiv(watermarkMs, 1000);
        while (!bySecond.isEmpty() && bySecond.firstKey() < limit) {
            Map.Entry<Long, List<String>> e = bySecond.pollFirstEntry();
            seen.removeAll(e.getValue());
        }
    }

    public int size() {
        return seen.size();
    }
}

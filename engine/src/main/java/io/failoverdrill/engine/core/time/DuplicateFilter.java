package io.failoverdrill.engine.core.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

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

    /** The remembered ids by second ({@code [[second, [id, …]], …]}), for a snapshot. */
    public ArrayNode state() {
        ArrayNode n = JsonNodeFactory.instance.arrayNode();
        bySecond.forEach((second, ids) -> {
            ArrayNode entry = n.addArray().add(second);
            ArrayNode list = entry.addArray();
            ids.forEach(list::add);
        });
        return n;
    }

    /** Replaces the remembered ids with {@link #state()}'s. */
    public void restore(JsonNode n) {
        forgetBefore(Long.MAX_VALUE);
        lastSecond = Long.MIN_VALUE;
        lastList = null;
        for (JsonNode entry : n) {
            List<String> ids = new ArrayList<>(entry.get(1).size());
            for (JsonNode id : entry.get(1)) {
                ids.add(id.textValue());
                seen.add(id.textValue());
            }
            bySecond.put(entry.get(0).longValue(), ids);
        }
    }
}

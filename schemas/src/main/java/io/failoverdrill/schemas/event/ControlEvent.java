package io.failoverdrill.schemas.event;

import io.failoverdrill.schemas.Timestamps;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An operator or scheduler action (docs/contracts.md §2): {@code start}, {@code abort}, {@code repair_done} or
 * {@code fault}. A fault is evidence of what the drill injected, never a health signal.
 */
public record ControlEvent(String eventId, long tsMs, String drillId, String action, Fault fault)
        implements InputEvent {
    public static final Set<String> ACTIONS = Set.of("start", "abort", "repair_done", "fault");

    /** Whether this is the {@code start} of drill {@code drill}. */
    public boolean starts(String drill) {
        return action.equals("start") && drillId.equals(drill);
    }

    /** What a drill injects. */
    public record Fault(String kind, String region) {
        public static final Set<String> KINDS = Set.of("brownout", "blackhole", "index_skew", "webhook_target_stale");

        Map<String, Object> toJson() {
            return Map.of("kind", kind, "region", region);
        }
    }

    @Override
    public String type() {
        return "control";
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("type", "control");
        m.put("event_id", eventId);
        m.put("ts", Timestamps.format(tsMs));
        m.put("drill_id", drillId);
        m.put("action", action);
        if (fault != null) {
            m.put("fault", fault.toJson());
        }
        return m;
    }
}

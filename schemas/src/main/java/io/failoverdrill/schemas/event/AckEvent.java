package io.failoverdrill.schemas.event;

import io.failoverdrill.schemas.Timestamps;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An actuator's answer to one command (docs/contracts.md §3). {@code detail} is any JSON value (plain Java, see
 * {@link io.failoverdrill.schemas.JsonValues}).
 */
public record AckEvent(String eventId, long tsMs, String region, String observer, String commandId, String status,
                       Object detail) implements InputEvent {
    public static final Set<String> STATUSES = Set.of("applied", "rejected");

    public boolean applied() {
        return "applied".equals(status);
    }

    @Override
    public String type() {
        return "ack";
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("type", "ack");
        m.put("event_id", eventId);
        m.put("ts", Timestamps.format(tsMs));
        m.put("region", region);
        m.put("observer", observer);
        m.put("command_id", commandId);
        m.put("status", status);
        m.put("detail", detail);
        return m;
    }
}

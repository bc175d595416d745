package io.failoverdrill.schemas.event;

import io.failoverdrill.schemas.Timestamps;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One observation of a region by one observer (docs/contracts.md §1). Kafka key = region.
 *
 * @param tsMs    event time of the observation, epoch milliseconds
 * @param drillId drill the event belongs to, or null
 * @param payload the type-specific fields
 */
public record TelemetryEvent(String eventId, String region, String observer, long tsMs, String drillId,
                             Telemetry payload) implements InputEvent {
    public TelemetryEvent {
        Objects.requireNonNull(eventId, "event_id");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public String type() {
        return payload.type();
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>(payload.fields());
        m.put("type", payload.type());
        m.put("event_id", eventId);
        m.put("region", region);
        m.put("observer", observer);
        m.put("ts", Timestamps.format(tsMs));
        if (drillId != null) {
            m.put("drill_id", drillId);
        }
        return m;
    }
}

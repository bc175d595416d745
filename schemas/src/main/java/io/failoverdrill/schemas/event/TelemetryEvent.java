package io.failoverdrill.schemas.event;

import io.failoverdrill.schemas.TelemetryFields;
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

    /**
     * The event of telemetry {@code type} in {@code f}, by the contract's rules: the envelope here, the payload by
     * {@link Telemetry#read}. The members are read in this order, so the first broken rule is always the same one.
     */
    public static TelemetryEvent read(String type, TelemetryFields f) {
        String eventId = f.id("event_id", 1, TelemetryFields.ID_CHARS);
        String region = f.region("region");
        String observer = f.string("observer", 1, TelemetryFields.NAME_CHARS);
        long ts = f.timestamp("ts");
        String drillId = f.optionalString("drill_id", 1, TelemetryFields.ID_CHARS);
        return new TelemetryEvent(eventId, region, observer, ts, drillId, Telemetry.read(type, f));
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

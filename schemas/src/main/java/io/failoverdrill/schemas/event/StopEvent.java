package io.failoverdrill.schemas.event;

import io.failoverdrill.schemas.Timestamps;

import java.util.Map;
import java.util.TreeMap;

/**
 * An emergency stop (docs/contracts.md §7) from the compacted {@code <prefix>stop} topic, key = scope: {@code all}
 * or one drill/guard id. While a stop covers an engine's drill or guard, it issues no command and refuses new
 * starts. A tombstone on the topic clears the stop of its key; the engine sees it as a stop with {@code clear} set
 * (no {@code ts}, no reason).
 *
 * @param tsMs when the operator stopped, epoch ms; evidence only — a stop takes effect when it arrives, not when
 *             the watermark passes it
 */
public record StopEvent(String eventId, long tsMs, String scope, String reason, boolean clear) implements InputEvent {
    /** The scope that covers every drill and guard. */
    public static final String ALL = "all";

    /** The clearing of the stop keyed {@code scope}, read from the tombstone at {@code position} (topic-partition@offset). */
    public static StopEvent cleared(String scope, String position) {
        return new StopEvent("clear@" + position, 0, scope, null, true);
    }

    /** Whether this stop applies to the drill or guard {@code id}. */
    public boolean covers(String id) {
        return scope.equals(ALL) || scope.equals(id);
    }

    @Override
    public String type() {
        return "stop";
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("type", "stop");
        m.put("event_id", eventId);
        m.put("scope", scope);
        if (clear) {
            m.put("clear", true);
        } else {
            m.put("ts", Timestamps.format(tsMs));
            m.put("reason", reason);
        }
        return m;
    }
}

package io.failoverdrill.schemas.decision;

import io.failoverdrill.schemas.CanonicalJson;
import io.failoverdrill.schemas.Timestamps;

import java.util.Map;
import java.util.TreeMap;

/**
 * A command to actuators (docs/contracts.md §4). Kafka key = drill id. {@code commandId} is
 * SHA-256 hex of {@code drill_id|seq|type|canonical payload}, where the canonical payload is the canonical JSON
 * of the type's own fields ({@link CommandBody#fields()}); so the same decision always has the same id.
 */
public record Command(String commandId, String drillId, long seq, long tsMs, Reason reason, CommandBody body)
        implements Decision {

    /** A command with its id derived from its content. */
    public static Command of(String drillId, long seq, long tsMs, Reason reason, CommandBody body) {
        return new Command(idOf(drillId, seq, body), drillId, seq, tsMs, reason, body);
    }

    /** The deterministic command id. */
    public static String idOf(String drillId, long seq, CommandBody body) {
        String material = drillId + "|" + seq + "|" + body.type() + "|" + CanonicalJson.string(body.fields());
        return io.failoverdrill.schemas.Sha256.hex(material);
    }

    @Override
    public String type() {
        return body.type();
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>(body.fields());
        m.put("type", body.type());
        m.put("command_id", commandId);
        m.put("drill_id", drillId);
        m.put("seq", seq);
        m.put("ts", Timestamps.format(tsMs));
        m.put("reason", reason.toJson());
        return m;
    }
}

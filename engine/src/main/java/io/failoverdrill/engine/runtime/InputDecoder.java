package io.failoverdrill.engine.runtime;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.StopEvent;

import java.nio.charset.StandardCharsets;

/**
 * Decodes one input record as the engine and replay both must: the value through {@link Codec#decodeInput}, except
 * on the stop topic ({@code <prefix>stop}, the one input topic whose name ends in {@code stop}), where a tombstone
 * clears the stop of its key and a stop must carry its key as its scope (the topic is compacted by key).
 */
public final class InputDecoder {
    private InputDecoder() {
    }

    /** Whether {@code r} came from the stop topic. */
    public static boolean fromStopTopic(InboundRecord r) {
        return r.topic().endsWith("stop");
    }

    /**
     * {@code behind} ({@code topic/partition} keys) less the stop topic's: stops bypass the event-time merge, so a
     * stop partition still being read must not hold the telemetry back.
     */
    static java.util.Set<String> withoutStopTopic(java.util.Set<String> behind) {
        if (behind.stream().noneMatch(k -> k.substring(0, k.lastIndexOf('/')).endsWith("stop"))) {
            return behind;
        }
        java.util.Set<String> rest = new java.util.TreeSet<>(behind);
        rest.removeIf(k -> k.substring(0, k.lastIndexOf('/')).endsWith("stop"));
        return rest;
    }

    /** The record's event; throws {@link ContractViolation} naming the field and the rule. */
    public static InputEvent decode(InboundRecord r) {
        boolean stopTopic = fromStopTopic(r);
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            if (stopTopic && key != null && !key.isEmpty()) {
                return StopEvent.cleared(key, r.topic() + "-" + r.partition() + "@" + r.offset());
            }
            throw new ContractViolation("$", stopTopic ? "a tombstone on the stop topic must have the key of the stop it clears"
                    : "must be a JSON object, got a record without a value (tombstone)");
        }
        InputEvent e = Codec.decodeInput(r.value());
        if (stopTopic != e instanceof StopEvent) {
            throw new ContractViolation("$.type", stopTopic ? "must be 'stop' on the stop topic, got '" + e.type() + "'"
                    : "'stop' belongs on the stop topic, not on " + r.topic());
        }
        if (e instanceof StopEvent s && !s.scope().equals(key)) {
            throw new ContractViolation("$.scope", "must equal the record key ('" + key + "'): the stop topic is "
                    + "compacted by key, and its tombstone clears by key");
        }
        return e;
    }
}

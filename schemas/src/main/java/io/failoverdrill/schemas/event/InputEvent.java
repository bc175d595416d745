package io.failoverdrill.schemas.event;

import io.failoverdrill.schemas.CanonicalJson;

/** Anything the engine consumes: telemetry (§1), control (§2), acks (§3) and emergency stops (§7). */
public sealed interface InputEvent extends CanonicalJson.JsonWritable permits TelemetryEvent, ControlEvent, AckEvent, StopEvent {
    /** Unique id; a repeated id is a duplicate. */
    String eventId();

    /** Event time, epoch milliseconds. */
    long tsMs();

    /** The {@code type} field on the wire. */
    String type();
}

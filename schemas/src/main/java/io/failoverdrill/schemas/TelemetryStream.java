package io.failoverdrill.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Telemetry decoded with Jackson's streaming {@link JsonParser} — the parser of the general path, with its features
 * and limits (duplicate members, nesting depth, trailing tokens) — into {@link TelemetrySlots}, then by the same rule
 * set as every other path. One of the three ways {@link Codec.TelemetryPath} names; like {@link TelemetryBytes} it
 * only takes records that are certainly fine and returns null for every other, which then goes through the tree.
 * Unknown members are skipped whatever their values.
 */
final class TelemetryStream {
    private TelemetryStream() {
    }

    /** The telemetry event in {@code bytes}, or null when this path does not take the record. */
    static TelemetryEvent decodeOrNull(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes.length > Codec.MAX_RECORD_BYTES) {
            return null;
        }
        try (JsonParser p = Codec.jsonFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            TelemetrySlots root = members(p, TelemetrySlots.forRecord(null), true);
            return p.nextToken() == null ? root.event() : null;
        } catch (JsonScanner.LeavesFastPath | IOException e) {
            return null;
        }
    }

    /** The members of the object whose start the parser has just read, up to its end. */
    private static TelemetrySlots members(JsonParser p, TelemetrySlots slots, boolean root) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            int known = JsonScanner.indexOf(p.currentName());
            JsonToken v = p.nextToken();
            if (known < 0) {
                p.skipChildren();
                continue;
            }
            if (slots.seen(known)) {
                throw JsonScanner.leave();
            }
            switch (v) {
                case VALUE_STRING -> slots.string(known, p.getText());
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        slots.literal(known, TelemetrySlots.BIG_INTEGRAL);
                    } else {
                        slots.integral(known, p.getLongValue());
                    }
                }
                case VALUE_NUMBER_FLOAT -> slots.fractional(known, p.getDoubleValue());
                case VALUE_TRUE -> slots.literal(known, TelemetrySlots.TRUE);
                case VALUE_FALSE -> slots.literal(known, TelemetrySlots.FALSE);
                case VALUE_NULL -> slots.literal(known, TelemetrySlots.NULL);
                case START_OBJECT -> {
                    if (!root) {
                        throw JsonScanner.leave();
                    }
                    slots.object(known, members(p, slots.nested(), false));
                }
                case START_ARRAY -> slots.strings(known, strings(p));
                default -> throw JsonScanner.leave();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw JsonScanner.leave();
        }
        return slots;
    }

    /** An array of strings, unmodifiable like {@link JsonReader#strings}; any other element leaves. */
    private static List<String> strings(JsonParser p) throws IOException {
        List<String> items = new ArrayList<>(8);
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
            items.add(p.getText());
        }
        if (t != JsonToken.END_ARRAY) {
            throw JsonScanner.leave();
        }
        return Collections.unmodifiableList(items);
    }
}

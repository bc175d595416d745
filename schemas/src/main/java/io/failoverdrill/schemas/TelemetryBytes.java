package io.failoverdrill.schemas;

import io.failoverdrill.schemas.event.TelemetryEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The fast path of {@link Codec#decodeInput(byte[])}: a telemetry record in the common shape goes straight from its
 * bytes into {@link TelemetrySlots} and from there, by the contract's one rule set ({@link TelemetryEvent#read}), to
 * a {@link TelemetryEvent}, without a JSON tree. It only ever takes records that are certainly fine: control, ack and
 * stop records, anything outside {@link JsonScanner}'s shape, nested values other than one level of objects and
 * arrays of strings under known names, a duplicate member, a number it would have to convert and every record that
 * breaks a rule return null, and the record goes the general way ({@link FlatJson} or Jackson, then the same rules on
 * the tree), which gives the exact event or the exact violation. Property-tested against that way. Unknown members
 * are skipped (docs/contracts.md: ignored) when their values are scalars.
 */
final class TelemetryBytes extends JsonScanner {
    private static final int MAX_UNKNOWN_NAMES = 8;

    /** Where the unknown members' names are, to find a duplicate among them. */
    private final int[] unknownNames = new int[2 * MAX_UNKNOWN_NAMES];
    private int unknownCount;

    private TelemetryBytes(byte[] bytes) {
        super(bytes);
    }

    /** The telemetry event in {@code bytes}, or null when this path does not take the record (see the class). */
    static TelemetryEvent decodeOrNull(byte[] bytes) {
        return readOrNull(bytes, b -> {
            TelemetryBytes p = new TelemetryBytes(b);
            p.skipSpace();
            TelemetrySlots root = p.members(TelemetrySlots.forRecord(p), true);
            return p.atEndAfterSpace() ? root.event() : null;
        });
    }

    /** Reads an object (the root, or one nested in it), noting each known member's value. */
    private TelemetrySlots members(TelemetrySlots slots, boolean root) {
        expect('{');
        skipSpace();
        if (b[i] == '}') {
            i++;
            return slots;
        }
        while (true) {
            skipSpace();
            int known = nameIndex();
            if (known < 0) {
                rememberUnknown(root);
            } else if (slots.seen(known)) {
                throw leave(); // a duplicate: Jackson reports it
            }
            skipSpace();
            expect(':');
            skipSpace();
            value(slots, known, root);
            skipSpace();
            if (b[i] == ',') {
                i++;
            } else {
                expect('}');
                return slots;
            }
        }
    }

    private void rememberUnknown(boolean root) {
        if (!root) {
            throw leave(); // a nested object's unknown members are not tracked for duplicates
        }
        for (int u = 0; u < unknownCount; u++) {
            int from = unknownNames[2 * u];
            int to = unknownNames[2 * u + 1];
            if (Arrays.equals(b, from, to, b, nameStart, nameEnd)) {
                throw leave();
            }
        }
        if (unknownCount == MAX_UNKNOWN_NAMES) {
            throw leave();
        }
        unknownNames[2 * unknownCount] = nameStart;
        unknownNames[2 * unknownCount + 1] = nameEnd;
        unknownCount++;
    }

    /** Scans the value of member {@code known} (-1: unknown, skipped) into {@code slots}. */
    private void value(TelemetrySlots slots, int known, boolean root) {
        int start = i;
        byte c = b[i];
        switch (c) {
            case '"' -> {
                start = stringEnd();
                if (known >= 0) {
                    slots.span(known, start, i, stringHash);
                }
                i++;
            }
            case 't' -> {
                literal("true");
                literal(slots, known, TelemetrySlots.TRUE);
            }
            case 'f' -> {
                literal("false");
                literal(slots, known, TelemetrySlots.FALSE);
            }
            case 'n' -> {
                literal("null");
                literal(slots, known, TelemetrySlots.NULL);
            }
            case '{' -> {
                if (known < 0 || !root) {
                    throw leave();
                }
                slots.object(known, members(slots.nested(), false));
            }
            case '[' -> {
                if (known < 0) {
                    throw leave();
                }
                slots.strings(known, strings());
            }
            default -> {
                if (c != '-' && (c < '0' || c > '9')) {
                    throw leave();
                }
                int intDigits = numberToken(start);
                if (known < 0) {
                    return;
                }
                if (intDigits < 0) {
                    slots.fractional(known, fractionalValue(start, i));
                } else if (intDigits > 18) {
                    slots.literal(known, TelemetrySlots.BIG_INTEGRAL);
                } else {
                    slots.integral(known, integralValue(start, i));
                }
            }
        }
    }

    private static void literal(TelemetrySlots slots, int known, byte kind) {
        if (known >= 0) {
            slots.literal(known, kind);
        }
    }

    /** An array of strings (the contracts' arrays), unmodifiable like {@link JsonReader#strings}. */
    private List<String> strings() {
        expect('[');
        List<String> items = new ArrayList<>(8);
        skipSpace();
        if (b[i] == ']') {
            i++;
            return Collections.unmodifiableList(items);
        }
        while (true) {
            skipSpace();
            items.add(string());
            skipSpace();
            if (b[i] == ',') {
                i++;
            } else {
                expect(']');
                return Collections.unmodifiableList(items);
            }
        }
    }
}

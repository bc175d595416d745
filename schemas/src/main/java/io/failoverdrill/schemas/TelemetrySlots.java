package io.failoverdrill.schemas;

import io.failoverdrill.schemas.event.TelemetryEvent;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * The members of one telemetry record as a fast decoder collected them ({@link TelemetryBytes} from the bytes,
 * {@link TelemetryStream} from Jackson's streaming parser), one slot per {@link JsonScanner#KNOWN_NAMES known name};
 * unknown members are not kept (docs/contracts.md: ignored). Read by the same rules as the tree
 * ({@link TelemetryFields}), but a broken rule — or a value this class does not convert (an integer of 19 or more
 * digits, a fraction where an integer is expected, {@code key_fields}) — only {@link JsonScanner#leave leaves}: the
 * record is decoded again through the tree, which gives the exact event or names the exact violation. Not
 * thread-safe: each decoding thread reuses its own ({@link #forRecord}), cleared record by record; what it returns
 * holds no reference to it.
 */
final class TelemetrySlots implements TelemetryFields {
    static final byte ABSENT = 0, STRING = 1, INTEGRAL = 2, BIG_INTEGRAL = 3, FRACTIONAL = 4, TRUE = 5, FALSE = 6,
            NULL = 7, OBJECT = 8, ARRAY = 9;
    private static final int N = JsonScanner.KNOWN_NAMES.length;

    private static final ThreadLocal<TelemetrySlots> PER_THREAD = ThreadLocal.withInitial(TelemetrySlots::new);

    /** The scanner whose bytes the string spans point into; null when every string is in {@link #values}. */
    private JsonScanner source;
    private final byte[] kinds = new byte[N];
    /** A string's span in {@link #source} (without its quotes) and the hash of its bytes. */
    private final int[] starts = new int[N];
    private final int[] ends = new int[N];
    private final int[] hashes = new int[N];
    /** An integer's value, or a fraction's bits. */
    private final long[] numbers = new long[N];
    /** A string (when not a span), a {@code List<String>} (ARRAY) or a {@link TelemetrySlots} (OBJECT). */
    private final Object[] values = new Object[N];

    /** The members set since the last {@link #clear}, to clear only those. */
    private final int[] touched = new int[N];
    private int touchedCount;
    /** Objects nested in this one's members, reused; the first {@link #nestedInUse} are taken. */
    private final java.util.ArrayList<TelemetrySlots> nested = new java.util.ArrayList<>(2);
    private int nestedInUse;

    private TelemetrySlots() {
    }

    /** This thread's slots, emptied, for the root object of a record whose strings are in {@code source} (or null). */
    static TelemetrySlots forRecord(JsonScanner source) {
        TelemetrySlots slots = PER_THREAD.get();
        slots.clear(source);
        return slots;
    }

    /** Empty slots for an object nested in this one (the root), valid until the next record. */
    TelemetrySlots nested() {
        if (nestedInUse == nested.size()) {
            nested.add(new TelemetrySlots());
        }
        TelemetrySlots child = nested.get(nestedInUse++);
        child.clear(source);
        return child;
    }

    private void clear(JsonScanner newSource) {
        for (int t = 0; t < touchedCount; t++) {
            int slot = touched[t];
            kinds[slot] = ABSENT;
            values[slot] = null;
        }
        touchedCount = 0;
        nestedInUse = 0;
        source = newSource;
    }

    /** The telemetry event these members make, by the contract's rules; a control, ack or stop record leaves. */
    TelemetryEvent event() {
        String type = string("type", 0, Integer.MAX_VALUE);
        if (!Codec.TELEMETRY_TYPES.contains(type)) {
            throw JsonScanner.leave();
        }
        return TelemetryEvent.read(type, this);
    }

    /** Whether member {@code slot} has been seen already (a duplicate leaves: Jackson reports it). */
    boolean seen(int slot) {
        return kinds[slot] != ABSENT;
    }

    void span(int slot, int start, int end, int hash) {
        set(slot, STRING);
        starts[slot] = start;
        ends[slot] = end;
        hashes[slot] = hash;
    }

    void string(int slot, String s) {
        set(slot, STRING).values[slot] = s;
    }

    void integral(int slot, long v) {
        set(slot, INTEGRAL).numbers[slot] = v;
    }

    /** A finite fraction; an infinite one leaves, as the tree reports it. */
    void fractional(int slot, double v) {
        if (!Double.isFinite(v)) {
            throw JsonScanner.leave();
        }
        set(slot, FRACTIONAL).numbers[slot] = Double.doubleToRawLongBits(v);
    }

    /** {@link #BIG_INTEGRAL}, {@link #TRUE}, {@link #FALSE} or {@link #NULL}. */
    void literal(int slot, byte kind) {
        set(slot, kind);
    }

    void strings(int slot, List<String> list) {
        set(slot, ARRAY).values[slot] = list;
    }

    void object(int slot, TelemetrySlots members) {
        set(slot, OBJECT).values[slot] = members;
    }

    /** Marks member {@code slot} present as {@code kind} (cleared with the next record); returns this. */
    private TelemetrySlots set(int slot, byte kind) {
        touched[touchedCount++] = slot;
        kinds[slot] = kind;
        return this;
    }

    private static int slot(String name) {
        int k = JsonScanner.indexOf(name);
        if (k < 0) {
            throw new IllegalArgumentException(name + " is not a member of any input schema");
        }
        return k;
    }

    /** Present and not null, as {@link JsonReader#has} means. */
    private boolean present(int slot) {
        return kinds[slot] != ABSENT && kinds[slot] != NULL;
    }

    private String text(int slot, boolean repeats) {
        if (kinds[slot] != STRING) {
            throw JsonScanner.leave();
        }
        Object s = values[slot];
        if (s != null) {
            return (String) s;
        }
        return repeats ? source.repeatingString(starts[slot], ends[slot], hashes[slot])
                : new String(source.b, starts[slot], ends[slot] - starts[slot], StandardCharsets.ISO_8859_1);
    }

    private static String bounded(String s, int min, int max) {
        int len = s.codePointCount(0, s.length());
        if (len < min || len > max) {
            throw JsonScanner.leave();
        }
        return s;
    }

    @Override
    public String string(String name, int min, int max) {
        return bounded(text(slot(name), true), min, max);
    }

    @Override
    public String id(String name, int min, int max) {
        return bounded(text(slot(name), false), min, max);
    }

    @Override
    public String optionalString(String name, int min, int max) {
        int slot = slot(name);
        return present(slot) ? bounded(text(slot, true), min, max) : null;
    }

    @Override
    public String optionalId(String name) {
        int slot = slot(name);
        return present(slot) ? text(slot, false) : null;
    }

    @Override
    public String oneOf(String name, Set<String> allowed) {
        String s = text(slot(name), true);
        if (!allowed.contains(s)) {
            throw JsonScanner.leave();
        }
        return s;
    }

    @Override
    public String nullOrOneOf(String name, Set<String> allowed) {
        int slot = slot(name);
        return kinds[slot] == NULL ? null : oneOf(name, allowed);
    }

    @Override
    public String region(String name) {
        String s = text(slot(name), true);
        if (!JsonReader.isRegion(s)) {
            throw JsonScanner.leave();
        }
        return s;
    }

    @Override
    public String optionalRegion(String name) {
        return present(slot(name)) ? region(name) : null;
    }

    @Override
    public long timestamp(String name) {
        int slot = slot(name);
        if (kinds[slot] != STRING) {
            throw JsonScanner.leave();
        }
        Object s = values[slot];
        long ms = s != null ? Timestamps.parseOrMin((String) s) : Timestamps.parseOrMin(source.b, starts[slot], ends[slot]);
        if (ms == Long.MIN_VALUE) {
            throw JsonScanner.leave();
        }
        return ms;
    }

    private double number(int slot) {
        if (kinds[slot] == INTEGRAL) {
            return numbers[slot];
        }
        if (kinds[slot] == FRACTIONAL) {
            return Double.longBitsToDouble(numbers[slot]);
        }
        throw JsonScanner.leave();
    }

    @Override
    public double number(String name, double min, double max) {
        double d = number(slot(name));
        if (d < min || d > max) {
            throw JsonScanner.leave();
        }
        return d;
    }

    @Override
    public double numberAtLeast(String name, double min) {
        return number(name, min, Double.POSITIVE_INFINITY);
    }

    @Override
    public Double optionalNumberAtLeast(String name, double min) {
        return present(slot(name)) ? numberAtLeast(name, min) : null;
    }

    @Override
    public long integer(String name, long min, long max) {
        int slot = slot(name);
        if (kinds[slot] != INTEGRAL) {
            throw JsonScanner.leave();
        }
        long v = numbers[slot];
        if (v < min || v > max) {
            throw JsonScanner.leave();
        }
        return v;
    }

    @Override
    public Long optionalInteger(String name, long min, long max) {
        return present(slot(name)) ? integer(name, min, max) : null;
    }

    @Override
    public boolean bool(String name) {
        byte kind = kinds[slot(name)];
        if (kind != TRUE && kind != FALSE) {
            throw JsonScanner.leave();
        }
        return kind == TRUE;
    }

    @Override
    public Boolean optionalBool(String name) {
        return present(slot(name)) ? bool(name) : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> optionalStrings(String name) {
        int slot = slot(name);
        if (!present(slot)) {
            return null;
        }
        if (kinds[slot] != ARRAY) {
            throw JsonScanner.leave();
        }
        return (List<String>) values[slot];
    }

    @Override
    public TelemetryFields optionalObject(String name) {
        int slot = slot(name);
        if (!present(slot)) {
            return null;
        }
        if (kinds[slot] != OBJECT) {
            throw JsonScanner.leave();
        }
        return (TelemetrySlots) values[slot];
    }

    /** Not collected here: a record that has them is read through the tree. */
    @Override
    public SortedMap<String, Object> optionalScalars(String name) {
        if (present(slot(name))) {
            throw JsonScanner.leave();
        }
        return null;
    }
}

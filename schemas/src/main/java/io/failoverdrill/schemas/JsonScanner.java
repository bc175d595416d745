package io.failoverdrill.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte-level grammar shared by the codec's fast paths ({@link FlatJson}, {@link TelemetryBytes}): whitespace,
 * literals, strings of printable ASCII without escapes, JSON numbers, and the contracts' member names. Whatever lies
 * outside that shape throws {@link LeavesFastPath}, and the caller hands the record to Jackson, which gives the exact
 * result or the exact error. Not thread-safe: one scanner per record.
 */
abstract class JsonScanner {
    /** Longer number tokens go to Jackson (which limits them to 1,000 characters). */
    static final int MAX_NUMBER_CHARS = 64;
    /**
     * The member names of the input records (telemetry, control, ack, stop), at every depth, as their JSON Schemas
     * list them: shared instead of allocated per record; {@link #nameIndex} and {@link #indexOf} index this.
     */
    static final String[] KNOWN_NAMES = InputSchemas.memberNames();
    /** Known names by the hash of their bytes ({@link #hash}), open addressing: index into the arrays below, +1. */
    private static final int[] NAME_TABLE = new int[256];
    private static final byte[][] NAME_BYTES = new byte[KNOWN_NAMES.length][];
    private static final int[] NAME_HASHES = new int[KNOWN_NAMES.length];
    private static final java.util.Map<String, Integer> NAME_INDEX = new java.util.HashMap<>();
    /**
     * Recently seen repeating values by the hash of their bytes. Shared by the decoding threads without locks: a slot
     * holds one immutable entry (final fields, so safely published), read once; a lost write is only a later miss.
     */
    private static final CachedString[] VALUE_CACHE = new CachedString[4096];
    private static final int MAX_CACHED_CHARS = 48;

    private record CachedString(String value, byte[] bytes) {
    }

    static {
        for (int k = 0; k < KNOWN_NAMES.length; k++) {
            NAME_BYTES[k] = KNOWN_NAMES[k].getBytes(StandardCharsets.US_ASCII);
            NAME_INDEX.put(KNOWN_NAMES[k], k);
            NAME_HASHES[k] = hash(NAME_BYTES[k], 0, NAME_BYTES[k].length);
            int slot = NAME_HASHES[k] & (NAME_TABLE.length - 1);
            while (NAME_TABLE[slot] != 0) {
                slot = (slot + 1) & (NAME_TABLE.length - 1);
            }
            NAME_TABLE[slot] = k + 1;
        }
    }

    /** The index of {@code name} in {@link #KNOWN_NAMES}, or -1. */
    static int indexOf(String name) {
        Integer k = NAME_INDEX.get(name);
        return k == null ? -1 : k;
    }

    /** Thrown inside a scanner when the record leaves the fast shape; never escapes the codec. */
    static final class LeavesFastPath extends RuntimeException {
        private static final LeavesFastPath INSTANCE = new LeavesFastPath();

        private LeavesFastPath() {
            super(null, null, false, false);
        }
    }

    final byte[] b;
    int i;

    JsonScanner(byte[] bytes) {
        this.b = bytes;
    }

    /**
     * {@code read} applied to {@code bytes}, or null when the record is empty, larger than
     * {@link Codec#MAX_RECORD_BYTES} (Jackson's checks name those) or leaves the fast shape.
     */
    static <T> T readOrNull(byte[] bytes, java.util.function.Function<byte[], T> read) {
        if (bytes == null || bytes.length == 0 || bytes.length > Codec.MAX_RECORD_BYTES) {
            return null;
        }
        try {
            return read.apply(bytes);
        } catch (LeavesFastPath | ArrayIndexOutOfBoundsException e) { // out of bounds: a record cut short ran off its end
            return null;
        }
    }

    static LeavesFastPath leave() {
        return LeavesFastPath.INSTANCE;
    }

    /** The hash of {@code b[from, to)} that {@link #stringEnd} computes while it scans. */
    static int hash(byte[] b, int from, int to) {
        int h = 0;
        for (int k = from; k < to; k++) {
            h = 31 * h + b[k];
        }
        return h ^ (h >>> 16);
    }

    final void skipSpace() {
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }

    final void expect(char c) {
        if (b[i] != c) {
            throw leave();
        }
        i++;
    }

    /** After the root value: only whitespace may follow. */
    final boolean atEndAfterSpace() {
        skipSpace();
        return i == b.length;
    }

    /** {@code true}, {@code false} or {@code null} at {@code i}, followed by a delimiter (Jackson reads "truex" as one bad token). */
    final void literal(String word) {
        for (int k = 0; k < word.length(); k++) {
            if (b[i + k] != word.charAt(k)) {
                throw leave();
            }
        }
        i += word.length();
        if (i < b.length && isTokenChar(b[i])) {
            throw leave();
        }
    }

    private static boolean isTokenChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                || c == '+' || c == '.' || c < 0;
    }

    /**
     * The start of a string of printable ASCII without escapes; {@code i} ends on the closing quote and
     * {@link #stringHash} is the {@link #hash} of its bytes.
     */
    final int stringEnd() {
        byte[] bytes = b;
        int k = i;
        if (bytes[k] != '"') {
            throw leave();
        }
        int start = ++k;
        int h = 0;
        for (byte c; (c = bytes[k]) != '"'; k++) {
            if (c < 0x20 || c == '\\') { // negative: non-ASCII (UTF-8) — Jackson decodes and checks it
                throw leave();
            }
            h = 31 * h + c;
        }
        i = k;
        stringHash = h ^ (h >>> 16); // = hash(bytes, start, k), in the same pass
        return start;
    }

    /** The {@link #hash} of the string read last by {@link #stringEnd}. */
    int stringHash;

    final String string() {
        int start = stringEnd();
        String s = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
        i++;
        return s;
    }

    /**
     * The string {@code b[start, end)} whose bytes hash to {@code hash} ({@link #hash}); a short one that is likely
     * to have been seen before comes from the cache.
     */
    final String repeatingString(int start, int end, int hash) {
        int len = end - start;
        if (len > MAX_CACHED_CHARS) {
            return new String(b, start, len, StandardCharsets.ISO_8859_1);
        }
        int slot = hash & (VALUE_CACHE.length - 1);
        CachedString cached = VALUE_CACHE[slot];
        if (cached != null && Arrays.equals(b, start, end, cached.bytes(), 0, cached.bytes().length)) {
            return cached.value();
        }
        String s = new String(b, start, len, StandardCharsets.ISO_8859_1);
        VALUE_CACHE[slot] = new CachedString(s, Arrays.copyOfRange(b, start, end));
        return s;
    }

    /**
     * Reads a member name: the index of a {@link #KNOWN_NAMES known name}, or -1 with the name's bytes at
     * {@code [nameStart, nameEnd)}.
     */
    final int nameIndex() {
        int start = stringEnd();
        nameStart = start;
        nameEnd = i;
        i++;
        int h = stringHash;
        for (int slot = h & (NAME_TABLE.length - 1), k; (k = NAME_TABLE[slot]) != 0; slot = (slot + 1) & (NAME_TABLE.length - 1)) {
            if (NAME_HASHES[k - 1] == h && Arrays.equals(b, start, nameEnd, NAME_BYTES[k - 1], 0, NAME_BYTES[k - 1].length)) {
                return k - 1;
            }
        }
        return -1;
    }

    /** The bytes of the name read last by {@link #nameIndex}. */
    int nameStart;
    int nameEnd;

    /**
     * Scans a number token at {@code i} by JSON's grammar, exactly: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?},
     * at most {@link #MAX_NUMBER_CHARS} characters. Returns the count of integer digits, negated when the token has
     * a fraction or an exponent; the token is {@code b[start, i)}.
     */
    final int numberToken(int start) {
        if (b[i] == '-') {
            i++;
        }
        int intStart = i;
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        } else {
            throw leave();
        }
        int intDigits = i - intStart;
        boolean integral = true;
        if (i < b.length && b[i] == '.') {
            integral = false;
            i++;
            digits();
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            integral = false;
            i++;
            if (b[i] == '+' || b[i] == '-') {
                i++;
            }
            digits();
        }
        if ((i < b.length && isTokenChar(b[i])) || i - start > MAX_NUMBER_CHARS) {
            throw leave();
        }
        return integral ? intDigits : -intDigits;
    }

    private void digits() {
        int from = i;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == from) {
            throw leave();
        }
    }

    /** The value of the integral token {@code b[start, end)} of at most 18 digits. */
    final long integralValue(int start, int end) {
        boolean negative = b[start] == '-';
        long v = 0;
        for (int k = negative ? start + 1 : start; k < end; k++) {
            v = v * 10 + (b[k] - '0');
        }
        return negative ? -v : v;
    }

    /**
     * The value of the number token {@code b[start, end)} with a fraction or exponent: Jackson's fast double parser
     * (bit-exact with {@link Double#parseDouble}); an infinite value leaves the fast path.
     */
    final double fractionalValue(int start, int end) {
        double d = com.fasterxml.jackson.core.io.NumberInput.parseDouble(
                new String(b, start, end - start, StandardCharsets.ISO_8859_1), true);
        if (!Double.isFinite(d)) {
            throw leave();
        }
        return d;
    }
}

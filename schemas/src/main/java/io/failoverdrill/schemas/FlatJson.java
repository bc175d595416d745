package io.failoverdrill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The fast path of {@link Codec#decodeInput(byte[])}: one pass over the bytes of a record in the common shape — a
 * JSON object of ASCII strings without escapes, numbers, booleans, nulls, arrays of strings and objects of the same
 * (at most {@link #MAX_DEPTH} deep) — building the very tree Jackson would build (same node classes, same values),
 * without Jackson's parser set-up, duplicate-name hash sets and hash maps per object. Anything else — escapes,
 * non-ASCII, an integer of more than 18 digits, a non-finite number, a duplicate name, a syntax error, trailing
 * tokens — returns null, and the caller parses with Jackson, which gives the exact error or the exact tree. So this
 * class never decides that a record is bad; it only takes the easy good ones faster. Thread-safe: one parser per
 * record; the string cache shared by the decoding threads is lock-free (see {@link #VALUE_CACHE}).
 */
final class FlatJson {
    static final int MAX_DEPTH = 8;
    /** Longer number tokens go to Jackson (which limits them to 1,000 characters). */
    private static final int MAX_NUMBER_CHARS = 64;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Member names of the contracts, shared instead of allocated per record. */
    private static final String[] KNOWN_NAMES = {"type", "event_id", "region", "observer", "ts", "drill_id",
            "latency_ms", "status", "error", "phases", "connect_ms", "tls_ms", "ttfb_ms", "body_ms", "cold", "target",
            "queue", "length", "oldest_age_ms", "question_id", "delta_s", "lambda", "coverage", "top_ids", "answer_hash",
            "index_hash", "metric", "analyzer", "build_ts", "embed_model", "contract_fields", "ready", "hit_ratio",
            "hot_keys_present", "write_id", "state", "writer_region", "dedupe_key", "emitted_from", "action", "fault",
            "kind", "command_id", "detail"};
    /** Members whose values repeat from record to record (a few regions, observers, classes): their strings are shared. */
    private static final java.util.Set<String> REPEATING = java.util.Set.of("type", "region", "observer", "error",
            "target", "queue", "lambda", "metric", "analyzer", "embed_model", "index_hash", "state", "writer_region",
            "emitted_from", "action", "kind", "status", "question_id");
    /** Known names by the hash of their bytes ({@link #hash}), open addressing: index into the arrays below, +1. */
    private static final int[] NAME_TABLE = new int[256];
    private static final byte[][] NAME_BYTES = new byte[KNOWN_NAMES.length][];
    private static final boolean[] NAME_REPEATS = new boolean[KNOWN_NAMES.length];
    /**
     * Recently seen repeating values by the hash of their bytes. Shared by the decoding threads without locks: a slot
     * holds one immutable entry (final fields, so safely published), read once; a lost write is only a later miss.
     */
    private static final CachedString[] VALUE_CACHE = new CachedString[4096];

    private record CachedString(String value, byte[] bytes) {
    }
    private static final int MAX_CACHED_CHARS = 48;

    static {
        for (int k = 0; k < KNOWN_NAMES.length; k++) {
            NAME_BYTES[k] = KNOWN_NAMES[k].getBytes(StandardCharsets.US_ASCII);
            NAME_REPEATS[k] = REPEATING.contains(KNOWN_NAMES[k]);
            int slot = hash(NAME_BYTES[k], 0, NAME_BYTES[k].length) & (NAME_TABLE.length - 1);
            while (NAME_TABLE[slot] != 0) {
                slot = (slot + 1) & (NAME_TABLE.length - 1);
            }
            NAME_TABLE[slot] = k + 1;
        }
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0;
        for (int k = from; k < to; k++) {
            h = 31 * h + b[k];
        }
        return h ^ (h >>> 16);
    }

    /** Thrown inside the parser when the record leaves the fast shape; never escapes this class. */
    private static final class NotFlat extends RuntimeException {
        static final NotFlat INSTANCE = new NotFlat();

        private NotFlat() {
            super(null, null, false, false);
        }
    }

    private final byte[] b;
    private int i;

    private FlatJson(byte[] bytes) {
        this.b = bytes;
    }

    /** The tree Jackson would build for {@code bytes}, or null when the record is not in the fast shape. */
    static ObjectNode parseOrNull(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes.length > Codec.MAX_RECORD_BYTES) {
            return null;
        }
        FlatJson p = new FlatJson(bytes);
        try {
            p.skipSpace();
            ObjectNode root = p.object(1);
            p.skipSpace();
            return p.i == bytes.length ? root : null;
        } catch (NotFlat | ArrayIndexOutOfBoundsException e) { // out of bounds: a record cut short ran off its end
            return null;
        }
    }

    private static NotFlat notFlat() {
        return NotFlat.INSTANCE;
    }

    private void skipSpace() {
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }

    private void expect(char c) {
        if (b[i] != c) {
            throw notFlat();
        }
        i++;
    }

    private ObjectNode object(int depth) {
        if (depth > MAX_DEPTH) {
            throw notFlat();
        }
        expect('{');
        Members members = new Members();
        skipSpace();
        if (b[i] == '}') {
            i++;
            return new ObjectNode(NODES, members);
        }
        while (true) {
            skipSpace();
            String name = name();
            skipSpace();
            expect(':');
            skipSpace();
            members.add(name, value(depth, nameRepeats));
            skipSpace();
            if (b[i] == ',') {
                i++;
            } else {
                expect('}');
                return new ObjectNode(NODES, members);
            }
        }
    }

    private JsonNode value(int depth, boolean repeats) {
        byte c = b[i];
        switch (c) {
            case '"':
                return TextNode.valueOf(repeats ? repeatingString() : string());
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case 't':
                literal("true");
                return BooleanNode.TRUE;
            case 'f':
                literal("false");
                return BooleanNode.FALSE;
            case 'n':
                literal("null");
                return NullNode.instance;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw notFlat();
        }
    }

    /** Arrays of strings only (the contracts' arrays). */
    private ArrayNode array(int depth) {
        if (depth > MAX_DEPTH) {
            throw notFlat();
        }
        expect('[');
        List<JsonNode> items = new ArrayList<>(8);
        skipSpace();
        if (b[i] == ']') {
            i++;
            return new ArrayNode(NODES, items);
        }
        while (true) {
            skipSpace();
            if (b[i] != '"') {
                throw notFlat();
            }
            items.add(TextNode.valueOf(string()));
            skipSpace();
            if (b[i] == ',') {
                i++;
            } else {
                expect(']');
                return new ArrayNode(NODES, items);
            }
        }
    }

    private void literal(String word) {
        for (int k = 0; k < word.length(); k++) {
            if (b[i + k] != word.charAt(k)) {
                throw notFlat();
            }
        }
        i += word.length();
        // Jackson reads "truex" as one bad token; a delimiter must follow
        if (i < b.length && isTokenChar(b[i])) {
            throw notFlat();
        }
    }

    private static boolean isTokenChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                || c == '+' || c == '.' || c < 0;
    }

    /** The span of a string of printable ASCII without escapes; {@code i} ends after the closing quote. */
    private int stringEnd() {
        expect('"');
        int start = i;
        while (true) {
            byte c = b[i];
            if (c == '"') {
                return start;
            }
            if (c < 0x20 || c == '\\') { // negative: non-ASCII (UTF-8) — Jackson decodes and checks it
                throw notFlat();
            }
            i++;
        }
    }

    private String string() {
        int start = stringEnd();
        String s = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
        i++;
        return s;
    }

    /** A string value that is likely to have been seen before: taken from the cache when it is there. */
    private String repeatingString() {
        int start = stringEnd();
        int len = i - start;
        i++;
        if (len > MAX_CACHED_CHARS) {
            return new String(b, start, len, StandardCharsets.ISO_8859_1);
        }
        int slot = hash(b, start, start + len) & (VALUE_CACHE.length - 1);
        CachedString cached = VALUE_CACHE[slot];
        if (cached != null && cached.bytes().length == len && java.util.Arrays.equals(b, start, start + len, cached.bytes(), 0, len)) {
            return cached.value();
        }
        String s = new String(b, start, len, StandardCharsets.ISO_8859_1);
        VALUE_CACHE[slot] = new CachedString(s, java.util.Arrays.copyOfRange(b, start, start + len));
        return s;
    }

    /** Whether the member name read last is one whose values repeat (see {@link #REPEATING}). */
    private boolean nameRepeats;

    private String name() {
        int start = stringEnd();
        int len = i - start;
        i++;
        int slot = hash(b, start, start + len) & (NAME_TABLE.length - 1);
        for (int k; (k = NAME_TABLE[slot]) != 0; slot = (slot + 1) & (NAME_TABLE.length - 1)) {
            byte[] known = NAME_BYTES[k - 1];
            if (known.length == len && java.util.Arrays.equals(b, start, start + len, known, 0, len)) {
                nameRepeats = NAME_REPEATS[k - 1];
                return KNOWN_NAMES[k - 1];
            }
        }
        nameRepeats = false;
        return new String(b, start, len, StandardCharsets.ISO_8859_1);
    }

    /**
     * JSON's number grammar, exactly: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. Integers become
     * {@link IntNode} when they fit an int, else {@link LongNode} (as Jackson's tree); others {@link DoubleNode}.
     */
    private JsonNode number() {
        int start = i;
        boolean negative = b[i] == '-';
        if (negative) {
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
            throw notFlat();
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
        if (i < b.length && isTokenChar(b[i])) {
            throw notFlat();
        }
        if (i - start > MAX_NUMBER_CHARS) {
            throw notFlat();
        }
        if (integral) {
            if (intDigits > 18) {
                throw notFlat();
            }
            long v = 0;
            for (int k = intStart; k < i; k++) {
                v = v * 10 + (b[k] - '0');
            }
            v = negative ? -v : v;
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
        }
        // the token is plain JSON, so Jackson's fast double parser (bit-exact with Double.parseDouble) applies
        double d = com.fasterxml.jackson.core.io.NumberInput.parseDouble(
                new String(b, start, i - start, StandardCharsets.ISO_8859_1), true);
        if (!Double.isFinite(d)) {
            throw notFlat();
        }
        return DoubleNode.valueOf(d);
    }

    private void digits() {
        int from = i;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == from) {
            throw notFlat();
        }
    }

    /**
     * An object's members in the order read: a small array map (a record has a dozen members at most), read-only once
     * built. A repeated name leaves the fast path (Jackson reports it).
     */
    static final class Members extends AbstractMap<String, JsonNode> {
        private String[] names = new String[12];
        private JsonNode[] values = new JsonNode[12];
        private int size;

        void add(String name, JsonNode value) {
            for (int k = 0; k < size; k++) {
                if (names[k].equals(name)) {
                    throw notFlat();
                }
            }
            if (size == names.length) {
                names = java.util.Arrays.copyOf(names, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            names[size] = name;
            values[size] = value;
            size++;
        }

        private int indexOf(Object name) {
            for (int k = 0; k < size; k++) {
                if (names[k] == name) {
                    return k;
                }
            }
            for (int k = 0; k < size; k++) {
                if (names[k].equals(name)) {
                    return k;
                }
            }
            return -1;
        }

        @Override
        public JsonNode get(Object name) {
            int k = indexOf(name);
            return k < 0 ? null : values[k];
        }

        @Override
        public boolean containsKey(Object name) {
            return indexOf(name) >= 0;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Set<Map.Entry<String, JsonNode>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, JsonNode>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Map.Entry<String, JsonNode> next() {
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            int k = next++;
                            return new SimpleImmutableEntry<>(names[k], values[k]);
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }
}

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
 * The second fast path of {@link Codec#decodeInput(byte[])} (after {@link TelemetryBytes}, for control and ack
 * records and telemetry it steps aside from): one pass over the bytes of a record in the common shape — a
 * JSON object of ASCII strings without escapes, numbers, booleans, nulls, arrays of strings and objects of the same
 * (at most {@link #MAX_DEPTH} deep) — building the very tree Jackson would build (same node classes, same values),
 * without Jackson's parser set-up, duplicate-name hash sets and hash maps per object. Anything else — escapes,
 * non-ASCII, an integer of more than 18 digits, a non-finite number, a duplicate name, a syntax error, trailing
 * tokens — returns null, and the caller parses with Jackson, which gives the exact error or the exact tree. So this
 * class never decides that a record is bad; it only takes the easy good ones faster. Thread-safe: one parser per
 * record; the string cache shared by the decoding threads is lock-free (see {@link JsonScanner}).
 */
final class FlatJson extends JsonScanner {
    static final int MAX_DEPTH = 8;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FlatJson(byte[] bytes) {
        super(bytes);
    }

    /** The tree Jackson would build for {@code bytes}, or null when the record is not in the fast shape. */
    static ObjectNode parseOrNull(byte[] bytes) {
        return readOrNull(bytes, b -> {
            FlatJson p = new FlatJson(b);
            p.skipSpace();
            ObjectNode root = p.object(1);
            return p.atEndAfterSpace() ? root : null;
        });
    }

    private ObjectNode object(int depth) {
        if (depth > MAX_DEPTH) {
            throw leave();
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
            int known = nameIndex();
            String name = known >= 0 ? KNOWN_NAMES[known] : new String(b, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1);
            skipSpace();
            expect(':');
            skipSpace();
            members.add(name, value(depth));
            skipSpace();
            if (b[i] == ',') {
                i++;
            } else {
                expect('}');
                return new ObjectNode(NODES, members);
            }
        }
    }

    private JsonNode value(int depth) {
        byte c = b[i];
        switch (c) {
            case '"':
                return TextNode.valueOf(string());
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
                throw leave();
        }
    }

    /** Arrays of strings only (the contracts' arrays). */
    private ArrayNode array(int depth) {
        if (depth > MAX_DEPTH) {
            throw leave();
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
                throw leave();
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

    /**
     * A number token ({@link #numberToken}): integers become {@link IntNode} when they fit an int, else
     * {@link LongNode} (as Jackson's tree), up to 18 digits; others {@link DoubleNode}.
     */
    private JsonNode number() {
        int start = i;
        int intDigits = numberToken(start);
        if (intDigits >= 0) {
            if (intDigits > 18) {
                throw leave();
            }
            long v = integralValue(start, i);
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
        }
        return DoubleNode.valueOf(fractionalValue(start, i));
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
                    throw leave();
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

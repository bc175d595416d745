package io.failoverdrill.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical JSON: object keys in lexicographic order, no insignificant white space, integers without a
 * fraction, other numbers in their shortest round-trip form, UTF-8. Two equal values always give the same bytes.
 */
public final class CanonicalJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private CanonicalJson() {
    }

    public static byte[] bytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String string(Object value) {
        return new String(bytes(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            writeDouble(g, ((Number) v).doubleValue());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            Map<?, ?> sorted = m instanceof TreeMap<?, ?> ? m : new TreeMap<>(m);
            for (Map.Entry<?, ?> e : sorted.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object e : c) {
                write(g, e);
            }
            g.writeEndArray();
        } else if (v instanceof JsonWritable w) {
            write(g, w.toJson());
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static void writeDouble(JsonGenerator g, double d) throws IOException {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            g.writeNumber((long) d);
        } else {
            g.writeNumber(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        }
    }

    /** A record that knows its own JSON shape (a map with the contract's field names). */
    public interface JsonWritable {
        Map<String, Object> toJson();
    }
}

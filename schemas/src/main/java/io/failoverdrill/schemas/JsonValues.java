package io.failoverdrill.schemas;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plain-Java JSON values used for free-form parts of records (evidence, verdict values): {@code null},
 * {@link String}, {@link Boolean}, {@link Long}, {@link Double}, {@link List} and sorted {@link Map}.
 */
public final class JsonValues {
    private JsonValues() {
    }

    public static Object toJava(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            n.forEach(e -> out.add(toJava(e)));
            return out;
        }
        TreeMap<String, Object> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), toJava(e.getValue()));
        }
        return out;
    }
}

package io.failoverdrill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The JSON Schemas of the records the engine consumes ({@code schemas/v1/*.schema.json} on the classpath). */
final class InputSchemas {
    /** One schema per telemetry type ({@link Codec#TELEMETRY_TYPES}), sorted, then control, ack and stop. */
    static final List<String> NAMES = java.util.stream.Stream.concat(new java.util.TreeSet<>(Codec.TELEMETRY_TYPES).stream(),
            java.util.stream.Stream.of("control", "ack", "stop")).toList();

    private InputSchemas() {
    }

    /** Every member name the input schemas declare, nested objects' members included, in the order they declare them. */
    static String[] memberNames() {
        Set<String> names = new LinkedHashSet<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String schema : NAMES) {
            String resource = "/schemas/v1/" + schema + ".schema.json";
            try (InputStream in = InputSchemas.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing from the classpath: " + resource);
                }
                collect(mapper.readTree(in), names);
            } catch (IOException e) {
                throw new UncheckedIOException(resource, e);
            }
        }
        return names.toArray(String[]::new);
    }

    private static void collect(JsonNode schema, Set<String> names) {
        JsonNode properties = schema.get("properties");
        if (properties != null) {
            for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                names.add(name);
                collect(properties.get(name), names);
            }
        }
        for (String nested : List.of("allOf", "anyOf", "oneOf", "then", "else", "items")) {
            JsonNode n = schema.get(nested);
            if (n != null && n.isArray()) {
                n.forEach(s -> collect(s, names));
            } else if (n != null && n.isObject()) {
                collect(n, names);
            }
        }
    }
}

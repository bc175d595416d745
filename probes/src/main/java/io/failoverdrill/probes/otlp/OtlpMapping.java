package io.failoverdrill.probes.otlp;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.JsonReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which OTLP metric becomes {@code request} telemetry, and where each data point's region and observer come from:
 * <pre>{"metric": "http.client.request.duration",
 *  "region":   {"attribute": "server.address", "values": {"eu.api.example.com": "eu-west"}},
 *  "observer": {"resource": "service.instance.id"}}</pre>
 * A source is a data point attribute ({@code attribute}), a resource attribute ({@code resource}) or a fixed
 * {@code value}; {@code values} maps what it reads to the name to use (unlisted values are used as they are). A region
 * must end up a region id ({@code ^[a-z0-9][a-z0-9-]{0,62}$}); a point whose source is missing or unmappable is
 * rejected, not guessed.
 */
public record OtlpMapping(String metric, Source region, Source observer) {
    /** The OpenTelemetry semantic convention's HTTP client duration histogram (unit {@code s}). */
    public static final String HTTP_CLIENT_DURATION = "http.client.request.duration";

    /** Where one name comes from: exactly one of {@code attribute}, {@code resource}, {@code value}. */
    public record Source(String attribute, String resource, String value, Map<String, String> values) {
        public Source {
            values = values == null ? Map.of() : Map.copyOf(values);
        }

        /** What this source says for a point; null when the attribute is missing. */
        String of(Map<String, String> pointAttributes, Map<String, String> resourceAttributes) {
            String raw = value != null ? value : attribute != null ? pointAttributes.get(attribute) : resourceAttributes.get(resource);
            return raw == null ? null : values.getOrDefault(raw, raw);
        }

        /** How an operator names it: {@code attribute 'server.address'}. */
        String describe() {
            return value != null ? "the fixed value" : attribute != null ? "attribute '" + attribute + "'" : "resource attribute '" + resource + "'";
        }

        static Source read(JsonReader r) {
            for (String f : r.fieldNames()) {
                if (!Set.of("attribute", "resource", "value", "values").contains(f)) {
                    throw new ContractViolation(r.pathOf(f), "is not a source field (attribute, resource, value, values)");
                }
            }
            int given = (r.has("attribute") ? 1 : 0) + (r.has("resource") ? 1 : 0) + (r.has("value") ? 1 : 0);
            if (given != 1) {
                throw new ContractViolation(r.path(), "must name exactly one of attribute, resource, value");
            }
            Map<String, String> values = new TreeMap<>();
            JsonReader v = r.optionalObject("values");
            if (v != null) {
                for (String k : v.fieldNames()) {
                    values.put(k, v.string(k, 1, 256));
                }
            }
            return new Source(r.optionalString("attribute", 1, 256), r.optionalString("resource", 1, 256),
                    r.optionalString("value", 1, 256), values);
        }
    }

    /** Reads a mapping file (docs/otlp.md); a mistake is an {@link IllegalArgumentException} naming its JSON path. */
    public static OtlpMapping load(Path file) {
        try {
            return read(JsonReader.of(Codec.parse(Files.readAllBytes(file)), "$"));
        } catch (IOException e) {
            throw new IllegalArgumentException("OTLP mapping " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (ContractViolation v) {
            throw new IllegalArgumentException("OTLP mapping " + file + ": " + v.path() + ": " + v.rule());
        }
    }

    static OtlpMapping read(JsonReader r) {
        for (String f : r.fieldNames()) {
            if (!Set.of("metric", "region", "observer").contains(f)) {
                throw new ContractViolation(r.pathOf(f), "is not a mapping field (metric, region, observer)");
            }
        }
        String metric = r.optionalString("metric", 1, 256);
        return new OtlpMapping(metric == null ? HTTP_CLIENT_DURATION : metric, Source.read(r.object("region")),
                Source.read(r.object("observer")));
    }
}

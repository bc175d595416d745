package io.failoverdrill.probes;

import com.fasterxml.jackson.databind.JsonNode;
import io.failoverdrill.schemas.Timestamps;
import io.failoverdrill.schemas.event.Telemetry;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a region's state is read and how its JSON maps onto the contract's state events: for each of health, index
 * metadata, cache and backlog, a URL and a JSON pointer (RFC 6901) per member, so a service with its own status
 * format works. Absent: not probed. {@link #ownService} is this project's own endpoints.
 */
public record StatusEndpoints(Endpoint health, Endpoint indexMeta, Endpoint cache, Endpoint backlog) {
    /**
     * One status endpoint: its URL and the pointer of each member ({@code pointers}, by the event's member name);
     * {@code readyEquals}: for health, the text the {@code ready} member must equal (null: it must be true).
     */
    public record Endpoint(URI url, Map<String, String> pointers, String readyEquals) {
        public Endpoint {
            pointers = Map.copyOf(pointers);
        }

        String pointer(String member) {
            return pointers.get(member);
        }
    }

    /** The members each kind reads, required first; the optional ones are in {@link #OPTIONAL}. */
    static final Map<String, List<String>> MEMBERS = Map.of(
            "health", List.of("ready"),
            "index_meta", List.of("index_hash", "metric", "analyzer", "build_ts", "embed_model", "contract_fields"),
            "cache", List.of("hit_ratio", "hot_keys_present"),
            "backlog", List.of("length", "oldest_age_ms", "queue"));
    static final java.util.Set<String> OPTIONAL = java.util.Set.of("embed_model", "contract_fields", "hot_keys_present", "queue");

    /** This project's own {@code /health}, {@code /index/meta}, {@code /cache} and {@code /backlog} under {@code base}. */
    public static StatusEndpoints ownService(URI base) {
        return new StatusEndpoints(
                new Endpoint(base.resolve("/health"), Map.of("ready", "/ready"), null),
                new Endpoint(base.resolve("/index/meta"), Map.of("index_hash", "/index_hash", "metric", "/metric",
                        "analyzer", "/analyzer", "build_ts", "/build_ts_ms", "embed_model", "/embed_model",
                        "contract_fields", "/contract_fields"), null),
                new Endpoint(base.resolve("/cache"), Map.of("hit_ratio", "/hit_ratio", "hot_keys_present", "/hot_keys_present"), null),
                new Endpoint(base.resolve("/backlog"), Map.of("length", "/length", "oldest_age_ms", "/oldest_age_ms", "queue", "/queue"), null));
    }

    /** Thrown when an answer lacks a member or has it in the wrong type: the status probe failed. */
    static final class Unmappable extends IllegalStateException {
        Unmappable(String message) {
            super(message);
        }
    }

    static Telemetry.Health health(Endpoint e, JsonNode j) {
        JsonNode ready = required(e, j, "ready");
        if (e.readyEquals() != null) {
            return new Telemetry.Health(ready.isValueNode() && ready.asText().equals(e.readyEquals()));
        }
        if (!ready.isBoolean()) {
            throw new Unmappable("ready at " + e.pointer("ready") + " is not a boolean (set ready_equals for a text state)");
        }
        return new Telemetry.Health(ready.booleanValue());
    }

    static Telemetry.IndexMeta indexMeta(Endpoint e, JsonNode j) {
        JsonNode built = required(e, j, "build_ts");
        long buildMs;
        if (built.isIntegralNumber()) {
            buildMs = built.longValue();
        } else {
            buildMs = built.isTextual() ? Timestamps.parseOrMin(built.textValue()) : Long.MIN_VALUE;
            if (buildMs == Long.MIN_VALUE) {
                throw new Unmappable("build_ts at " + e.pointer("build_ts") + " is neither epoch milliseconds nor an RFC 3339 UTC time");
            }
        }
        JsonNode model = optional(e, j, "embed_model");
        JsonNode fields = optional(e, j, "contract_fields");
        List<String> contractFields = null;
        if (fields != null) {
            if (!fields.isArray()) {
                throw new Unmappable("contract_fields at " + e.pointer("contract_fields") + " is not an array");
            }
            contractFields = new ArrayList<>();
            for (JsonNode f : fields) {
                contractFields.add(f.asText());
            }
        }
        return new Telemetry.IndexMeta(text(e, j, "index_hash"), text(e, j, "metric"), text(e, j, "analyzer"), buildMs,
                model == null ? null : model.asText(), contractFields);
    }

    static Telemetry.Cache cache(Endpoint e, JsonNode j) {
        JsonNode hot = optional(e, j, "hot_keys_present");
        return new Telemetry.Cache(number(e, j, "hit_ratio"), hot == null ? null : hot.asBoolean());
    }

    static Telemetry.Backlog backlog(Endpoint e, JsonNode j) {
        JsonNode length = required(e, j, "length");
        if (!length.canConvertToLong() || !length.isIntegralNumber()) {
            throw new Unmappable("length at " + e.pointer("length") + " is not an integer");
        }
        JsonNode queue = optional(e, j, "queue");
        return new Telemetry.Backlog(queue == null ? "default" : queue.asText(), length.longValue(), number(e, j, "oldest_age_ms"));
    }

    private static JsonNode optional(Endpoint e, JsonNode j, String member) {
        String pointer = e.pointer(member);
        if (pointer == null) {
            return null;
        }
        JsonNode n = j.at(pointer);
        return n.isMissingNode() || n.isNull() ? null : n;
    }

    private static JsonNode required(Endpoint e, JsonNode j, String member) {
        JsonNode n = optional(e, j, member);
        if (n == null) {
            throw new Unmappable(member + " at " + e.pointer(member) + " is missing from the answer");
        }
        return n;
    }

    private static String text(Endpoint e, JsonNode j, String member) {
        JsonNode n = required(e, j, member);
        if (!n.isValueNode() || n.asText().isEmpty()) {
            throw new Unmappable(member + " at " + e.pointer(member) + " is not a non-empty text or number");
        }
        return n.asText();
    }

    private static double number(Endpoint e, JsonNode j, String member) {
        JsonNode n = required(e, j, member);
        if (!n.isNumber()) {
            throw new Unmappable(member + " at " + e.pointer(member) + " is not a number");
        }
        return n.doubleValue();
    }
}

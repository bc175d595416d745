package io.failoverdrill.schemas.event;

import io.failoverdrill.schemas.LookupSet;
import io.failoverdrill.schemas.TelemetryFields;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The type-specific part of a telemetry event (docs/contracts.md §1). Each record says, in one place, how it is
 * written ({@code fields()}) and read ({@code read(TelemetryFields)}: the contract's rules for its members, the only
 * copy of them): a member is added here and in its JSON Schema.
 */
public sealed interface Telemetry {
    /** The wire {@code type}. */
    String type();

    /** The type's own fields with their wire names (absent optionals left out). */
    Map<String, Object> fields();

    /**
     * Request error classes; {@code null} on the wire means success. {@code auth} = 401/403, {@code throttled} = 429,
     * {@code http_4xx} = any other 4xx.
     */
    List<String> ERROR_CLASS_ORDER = List.of("connect", "tls", "body_read", "tool_call", "timeout", "http_5xx", "auth",
            "throttled", "http_4xx");
    Set<String> ERROR_CLASSES = LookupSet.of(ERROR_CLASS_ORDER.toArray(String[]::new));

    /** The payload of a record of telemetry {@code type} (one of {@code Codec.TELEMETRY_TYPES}). */
    static Telemetry read(String type, TelemetryFields f) {
        return switch (type) {
            case "request" -> Request.read(f);
            case "backlog" -> Backlog.read(f);
            case "rag_probe" -> RagProbe.read(f);
            case "index_meta" -> IndexMeta.read(f);
            case "health" -> new Health(f.bool("ready"));
            case "cache" -> new Cache(f.number("hit_ratio", 0, 1), f.optionalBool("hot_keys_present"));
            case "write" -> new Write(f.id("write_id", 1, TelemetryFields.NAME_CHARS), f.oneOf("state", Write.STATES),
                    f.region("writer_region"));
            case "webhook" -> new Webhook(f.id("dedupe_key", 1, TelemetryFields.NAME_CHARS), f.region("emitted_from"),
                    f.optionalScalars("key_fields"));
            case "heartbeat" -> new Heartbeat();
            default -> throw new IllegalArgumentException("not a telemetry type: " + type);
        };
    }

    /** Phase timings of one request, milliseconds; any may be null when not measured. */
    record Phases(Double connectMs, Double tlsMs, Double ttfbMs, Double bodyMs) {
        static Phases read(TelemetryFields f) {
            return new Phases(f.optionalNumberAtLeast("connect_ms", 0), f.optionalNumberAtLeast("tls_ms", 0),
                    f.optionalNumberAtLeast("ttfb_ms", 0), f.optionalNumberAtLeast("body_ms", 0));
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new TreeMap<>();
            putIf(m, "connect_ms", connectMs);
            putIf(m, "tls_ms", tlsMs);
            putIf(m, "ttfb_ms", ttfbMs);
            putIf(m, "body_ms", bodyMs);
            return m;
        }
    }

    /**
     * One probe request — or {@code count} requests alike (same latency bucket, status and error class), as a
     * histogram bucket of a metrics pipeline reports them; absent = 1. {@code status} 0 = no HTTP response;
     * {@code error} null = success, else one of {@link #ERROR_CLASSES}; {@code cold} true when served by a cold
     * instance; {@code stickRegion} the region the response announced its session stuck to (header
     * {@code X-Stick-Region}), null when it announced none.
     */
    record Request(double latencyMs, int status, String error, Phases phases, Boolean cold, String target, Long count,
                   String stickRegion) implements Telemetry {
        /** The largest HTTP status a request may report (0: no response). */
        public static final int MAX_STATUS = 999;
        /** The most requests one event may stand for. */
        public static final long MAX_COUNT = 1_000_000_000L;

        /** One request, no stick announced. */
        public Request(double latencyMs, int status, String error, Phases phases, Boolean cold, String target) {
            this(latencyMs, status, error, phases, cold, target, null, null);
        }

        /** {@code count} requests alike, no stick announced. */
        public Request(double latencyMs, int status, String error, Phases phases, Boolean cold, String target, Long count) {
            this(latencyMs, status, error, phases, cold, target, count, null);
        }

        static Request read(TelemetryFields f) {
            double latency = f.numberAtLeast("latency_ms", 0);
            int status = (int) f.integer("status", 0, MAX_STATUS);
            String error = f.nullOrOneOf("error", ERROR_CLASSES);
            TelemetryFields phases = f.optionalObject("phases");
            return new Request(latency, status, error, phases == null ? null : Phases.read(phases), f.optionalBool("cold"),
                    f.optionalString("target", 0, Integer.MAX_VALUE), f.optionalInteger("count", 1, MAX_COUNT),
                    f.optionalRegion("stick_region"));
        }

        /** How many requests this event stands for (1 unless {@code count} says more). */
        public long requests() {
            return count == null ? 1 : count;
        }

        public String type() {
            return "request";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = new TreeMap<>();
            m.put("latency_ms", latencyMs);
            m.put("status", status);
            m.put("error", error);
            if (phases != null) {
                m.put("phases", phases.toJson());
            }
            putIf(m, "cold", cold);
            putIf(m, "target", target);
            putIf(m, "count", count);
            putIf(m, "stick_region", stickRegion);
            return m;
        }

        public boolean isCold() {
            return Boolean.TRUE.equals(cold);
        }
    }

    /** Queue backlog: {@code length} items, the oldest {@code oldestAgeMs} old. */
    record Backlog(String queue, long length, double oldestAgeMs) implements Telemetry {
        static Backlog read(TelemetryFields f) {
            return new Backlog(f.string("queue", 1, TelemetryFields.NAME_CHARS), f.integer("length", 0, Long.MAX_VALUE),
                    f.numberAtLeast("oldest_age_ms", 0));
        }

        public String type() {
            return "backlog";
        }

        public Map<String, Object> fields() {
            return Map.of("queue", queue, "length", length, "oldest_age_ms", oldestAgeMs);
        }
    }

    /** One RAG probe question: ΔS in [0, 2], λ state, coverage in [0, 1]. */
    record RagProbe(String questionId, double deltaS, String lambda, double coverage, List<String> topIds,
                    String answerHash) implements Telemetry {
        public static final Set<String> LAMBDAS = LookupSet.of("convergent", "divergent", "recursive", "chaotic");
        /** ΔS lies in [0, this]. */
        public static final double MAX_DELTA_S = 2;

        static RagProbe read(TelemetryFields f) {
            return new RagProbe(f.string("question_id", 1, TelemetryFields.NAME_CHARS), f.number("delta_s", 0, MAX_DELTA_S),
                    f.oneOf("lambda", LAMBDAS), f.number("coverage", 0, 1), f.optionalStrings("top_ids"),
                    f.optionalId("answer_hash"));
        }

        public String type() {
            return "rag_probe";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = new TreeMap<>();
            m.put("question_id", questionId);
            m.put("delta_s", deltaS);
            m.put("lambda", lambda);
            m.put("coverage", coverage);
            putIf(m, "top_ids", topIds);
            putIf(m, "answer_hash", answerHash);
            return m;
        }
    }

    /** Index metadata of a region; {@code buildTsMs} epoch milliseconds. */
    record IndexMeta(String indexHash, String metric, String analyzer, long buildTsMs, String embedModel,
                     List<String> contractFields) implements Telemetry {
        static IndexMeta read(TelemetryFields f) {
            return new IndexMeta(f.string("index_hash", 1, TelemetryFields.NAME_CHARS),
                    f.string("metric", 1, TelemetryFields.LABEL_CHARS), f.string("analyzer", 1, TelemetryFields.LABEL_CHARS),
                    f.timestamp("build_ts"), f.optionalString("embed_model", 0, Integer.MAX_VALUE),
                    f.optionalStrings("contract_fields"));
        }

        public String type() {
            return "index_meta";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = new TreeMap<>();
            m.put("index_hash", indexHash);
            m.put("metric", metric);
            m.put("analyzer", analyzer);
            m.put("build_ts", io.failoverdrill.schemas.Timestamps.format(buildTsMs));
            putIf(m, "embed_model", embedModel);
            putIf(m, "contract_fields", contractFields);
            return m;
        }
    }

    /** Readiness of a region. */
    record Health(boolean ready) implements Telemetry {
        public String type() {
            return "health";
        }

        public Map<String, Object> fields() {
            return Map.of("ready", ready);
        }
    }

    /** Cache state of a region; hit ratio in [0, 1]. */
    record Cache(double hitRatio, Boolean hotKeysPresent) implements Telemetry {
        public String type() {
            return "cache";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = new TreeMap<>();
            m.put("hit_ratio", hitRatio);
            putIf(m, "hot_keys_present", hotKeysPresent);
            return m;
        }
    }

    /** A write-ledger transition. */
    record Write(String writeId, String state, String writerRegion) implements Telemetry {
        public static final Set<String> STATES = LookupSet.of("acked", "enqueued", "applied");

        public String type() {
            return "write";
        }

        public Map<String, Object> fields() {
            return Map.of("write_id", writeId, "state", state, "writer_region", writerRegion);
        }
    }

    /**
     * One webhook delivery to a third party. {@code keyFields} (optional, may be null): the values of the fields the
     * plan's {@code webhook_policy.dedupe_key} expression names (e.g. {@code event_id}, {@code rev}), so that the
     * engine can recompute the key as written and catch an emitter that applied another one.
     */
    record Webhook(String dedupeKey, String emittedFrom, Map<String, Object> keyFields) implements Telemetry {
        public Webhook(String dedupeKey, String emittedFrom) {
            this(dedupeKey, emittedFrom, null);
        }

        public String type() {
            return "webhook";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = new TreeMap<>();
            m.put("dedupe_key", dedupeKey);
            m.put("emitted_from", emittedFrom);
            putIf(m, "key_fields", keyFields);
            return m;
        }
    }

    /** "This observer is alive and its clock is at ts." */
    record Heartbeat() implements Telemetry {
        public String type() {
            return "heartbeat";
        }

        public Map<String, Object> fields() {
            return Map.of();
        }
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}

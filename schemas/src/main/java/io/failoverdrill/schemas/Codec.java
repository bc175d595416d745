package io.failoverdrill.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Reason;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.decision.VerdictStatus;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.PlanDecoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one codec of the wire contracts: bytes → validated record, or a {@link ContractViolation} naming the JSON
 * path and the rule; record → canonical bytes ({@link CanonicalJson}). Thread-safe.
 */
public final class Codec {
    /** Records larger than this are rejected before parsing. */
    public static final int MAX_RECORD_BYTES = 256 * 1024;
    /** Length limits shared with the telemetry rules ({@link TelemetryFields}). */
    static final int ID_CHARS = TelemetryFields.ID_CHARS, NAME_CHARS = TelemetryFields.NAME_CHARS,
            LABEL_CHARS = TelemetryFields.LABEL_CHARS;

    public static final Set<String> TELEMETRY_TYPES = LookupSet.of("request", "backlog", "rag_probe", "index_meta",
            "health", "cache", "write", "webhook", "heartbeat");
    public static final Set<String> COMMAND_TYPES = Set.of("set_weights", "freeze_writes", "unfreeze_writes",
            "promote_writer", "stick", "route_webhooks", "rebuild_index", "purge_cache", "rewarm_cache", "clamp",
            "release_clamp");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private Codec() {
    }

    /** Parses bytes as one JSON value; a syntax error is a violation at {@code $}. */
    public static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ContractViolation("$", "must be a JSON object (the record is empty)");
        }
        if (bytes.length > MAX_RECORD_BYTES) {
            throw new ContractViolation("$", "must be at most " + MAX_RECORD_BYTES + " bytes (got " + bytes.length + ")");
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ContractViolation("$", "must be valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new ContractViolation("$", "must be readable UTF-8 JSON (" + e.getMessage() + ")");
        }
    }

    /**
     * The ways a telemetry record can be decoded; all three apply the one rule set ({@link TelemetryEvent#read}) and
     * give the same event or the same violation (property-tested), they differ in speed only (BENCHMARKS.md).
     */
    public enum TelemetryPath {
        /** From the bytes by the hand-written scanner ({@link TelemetryBytes}), else the tree. */
        BYTES,
        /** By Jackson's streaming parser ({@link TelemetryStream}), else the tree. */
        STREAMING,
        /** Always a Jackson tree. */
        TREE
    }

    /**
     * The path {@link #decodeInput(byte[])} takes: {@link TelemetryPath#BYTES} unless the system property
     * {@code failoverdrill.telemetry.path} names another (the end-to-end benchmark compares them in the engine).
     */
    private static final TelemetryPath PATH = TelemetryPath.valueOf(System.getProperty("failoverdrill.telemetry.path", "BYTES"));

    /**
     * Decodes a telemetry, control, ack or stop record. A telemetry record in the common shape is read straight from
     * its bytes ({@link TelemetryBytes}); every other record — and every record that breaks a rule, so that the
     * violation is always the same — through a tree ({@link FlatJson} when it can, else Jackson).
     */
    public static InputEvent decodeInput(byte[] bytes) {
        return decodeInput(bytes, PATH);
    }

    /** {@link #decodeInput(byte[])} the way {@code path} says; all three give the same event or violation. */
    public static InputEvent decodeInput(byte[] bytes, TelemetryPath path) {
        InputEvent direct = switch (path) {
            case BYTES -> TelemetryBytes.decodeOrNull(bytes);
            case STREAMING -> TelemetryStream.decodeOrNull(bytes);
            case TREE -> null;
        };
        if (direct != null) {
            return direct;
        }
        JsonNode tree = path == TelemetryPath.BYTES ? FlatJson.parseOrNull(bytes) : null;
        return decodeInput(tree != null ? tree : parse(bytes));
    }

    /** The parser factory of {@link #parse}: its features and limits. */
    static com.fasterxml.jackson.core.JsonFactory jsonFactory() {
        return MAPPER.getFactory();
    }

    public static InputEvent decodeInput(JsonNode root) {
        JsonReader r = JsonReader.of(root, "$");
        String type = r.string("type");
        if (type.equals("control")) {
            return control(r);
        }
        if (type.equals("ack")) {
            return ack(r);
        }
        if (type.equals("stop")) {
            return stop(r);
        }
        if (!TELEMETRY_TYPES.contains(type)) {
            throw new ContractViolation("$.type", "must be a known event type (telemetry, control, ack or stop), got '" + type + "'");
        }
        return TelemetryEvent.read(type, r);
    }

    private static ControlEvent control(JsonReader r) {
        String eventId = r.string("event_id", 1, ID_CHARS);
        long ts = r.timestamp("ts");
        String drillId = r.string("drill_id", 1, ID_CHARS);
        String action = r.oneOf("action", ControlEvent.ACTIONS);
        ControlEvent.Fault fault = null;
        if (action.equals("fault")) {
            JsonReader f = r.object("fault");
            fault = new ControlEvent.Fault(f.oneOf("kind", ControlEvent.Fault.KINDS), f.region("region"));
        }
        return new ControlEvent(eventId, ts, drillId, action, fault);
    }

    private static AckEvent ack(JsonReader r) {
        String eventId = r.string("event_id", 1, ID_CHARS);
        long ts = r.timestamp("ts");
        String region = r.region("region");
        String observer = r.string("observer", 1, NAME_CHARS);
        String commandId = r.string("command_id", 1, ID_CHARS);
        String status = r.oneOf("status", AckEvent.STATUSES);
        if (r.raw("detail") == null) {
            throw new ContractViolation("$.detail", "is required (any JSON value, null allowed)");
        }
        return new AckEvent(eventId, ts, region, observer, commandId, status, r.any("detail"));
    }

    private static StopEvent stop(JsonReader r) {
        if (Boolean.TRUE.equals(r.optionalBool("clear"))) { // a tombstone, as drill export writes it to a file
            return new StopEvent(r.string("event_id", 1, ID_CHARS), 0, r.string("scope", 1, ID_CHARS), null, true);
        }
        String eventId = r.string("event_id", 1, ID_CHARS);
        long ts = r.timestamp("ts");
        String scope = r.string("scope", 1, ID_CHARS);
        return new StopEvent(eventId, ts, scope, r.string("reason", 1, NAME_CHARS), false);
    }

    /** Decodes one decision-log line (command, phase or verdict). */
    public static Decision decodeDecision(byte[] bytes) {
        JsonReader r = JsonReader.of(parse(bytes), "$");
        String type = r.string("type");
        String drillId = r.string("drill_id", 1, ID_CHARS);
        long seq = r.integer("seq", 1, Long.MAX_VALUE);
        long ts = r.timestamp("ts");
        if (type.equals("phase")) {
            return new PhaseChange(drillId, seq, ts, phase(r, "from"), phase(r, "to"),
                    r.has("evidence") ? r.optionalAnyObject("evidence") : null);
        }
        if (type.equals("verdict")) {
            String status = r.oneOf("status", Set.of("pass", "fail", "not_applicable"));
            if (r.raw("value") == null || r.raw("limit") == null) {
                throw new ContractViolation(r.pathOf(r.raw("value") == null ? "value" : "limit"), "is required");
            }
            return new Verdict(drillId, seq, ts, r.string("check", 1, LABEL_CHARS), VerdictStatus.fromWire(status), r.any("value"),
                    r.any("limit"), evidence(r, "evidence"));
        }
        if (!COMMAND_TYPES.contains(type)) {
            throw new ContractViolation("$.type", "must be a command type, 'phase' or 'verdict', got '" + type + "'");
        }
        String commandId = r.string("command_id", 64, 64);
        JsonReader reason = r.object("reason");
        Reason why = new Reason(reason.string("rule", 1, NAME_CHARS), evidence(reason, "evidence"));
        CommandBody body = commandBody(r, type);
        String expected = Command.idOf(drillId, seq, body);
        if (!expected.equals(commandId)) {
            throw new ContractViolation("$.command_id", "must be SHA-256 hex of drill_id|seq|type|canonical payload");
        }
        return new Command(commandId, drillId, seq, ts, why, body);
    }

    private static SortedMap<String, Object> evidence(JsonReader r, String field) {
        if (r.raw(field) == null) {
            throw new ContractViolation(r.pathOf(field), "is required");
        }
        return r.optionalAnyObject(field);
    }

    private static Phase phase(JsonReader r, String field) {
        Phase p = Phase.fromWire(r.string(field));
        if (p == null) {
            throw new ContractViolation(r.pathOf(field), "must be a phase (idle, precheck, evacuate, promote, observe, verify, return_home, closeout, done, aborted, stopped)");
        }
        return p;
    }

    /** Decodes the type-specific fields of a command of {@code type}. */
    public static CommandBody commandBody(JsonReader r, String type) {
        return switch (type) {
            case "set_weights" -> new CommandBody.SetWeights(weights(r.object("weights")));
            case "freeze_writes" -> {
                List<String> regions = nonEmptyRegions(r);
                yield new CommandBody.FreezeWrites(regions, r.oneOf("mode", Set.of("enqueue")));
            }
            case "unfreeze_writes" -> new CommandBody.UnfreezeWrites(nonEmptyRegions(r));
            case "promote_writer" -> new CommandBody.PromoteWriter(r.region("region"));
            case "stick" -> new CommandBody.Stick(r.region("region"), (int) r.integer("minutes", 0, 1_000_000));
            case "route_webhooks" -> new CommandBody.RouteWebhooks(r.region("emit_from"));
            case "rebuild_index" -> new CommandBody.RebuildIndex(r.region("region"), r.string("artifact_hash", 1, NAME_CHARS));
            case "purge_cache" -> new CommandBody.PurgeCache(r.region("region"), r.optionalStrings("prefixes", null));
            case "rewarm_cache" -> new CommandBody.RewarmCache(r.region("region"));
            case "clamp" -> new CommandBody.Clamp(r.region("region"), optionalInt(r, "concurrency_limit"),
                    optionalInt(r, "retrieval_k"));
            case "release_clamp" -> new CommandBody.ReleaseClamp(r.region("region"));
            default -> throw new ContractViolation("$.type", "must be a command type");
        };
    }

    private static Integer optionalInt(JsonReader r, String field) {
        Long v = r.optionalInteger(field, 1, Integer.MAX_VALUE);
        return v == null ? null : v.intValue();
    }

    private static List<String> nonEmptyRegions(JsonReader r) {
        List<String> regions = r.strings("regions", JsonReader.REGION);
        if (regions.isEmpty()) {
            throw new ContractViolation("$.regions", "must list at least one region");
        }
        return regions;
    }

    private static SortedMap<String, Integer> weights(JsonReader w) {
        SortedMap<String, Integer> out = new TreeMap<>();
        int sum = 0;
        for (String region : w.fieldNames()) {
            if (!JsonReader.REGION.matcher(region).matches()) {
                throw new ContractViolation(w.pathOf(region), "key must be a region id matching ^[a-z0-9][a-z0-9-]{0,62}$");
            }
            int v = (int) w.integer(region, 0, 100);
            out.put(region, v);
            sum += v;
        }
        if (sum != 100) {
            throw new ContractViolation(w.path(), "values must sum to 100 (got " + sum + ")");
        }
        return out;
    }

    /** Decodes a drill plan, listing every violation ({@link PlanDecoder.PlanInvalid}). */
    public static DrillPlan decodePlan(byte[] bytes) {
        return PlanDecoder.decode(parse(bytes));
    }

    /** Canonical bytes of any record of the contracts. */
    public static byte[] encode(CanonicalJson.JsonWritable record) {
        return CanonicalJson.bytes(record.toJson());
    }

    public static String encodeToString(CanonicalJson.JsonWritable record) {
        return new String(encode(record), StandardCharsets.UTF_8);
    }
}

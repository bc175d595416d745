package io.failoverdrill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.TelemetryEvent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two fast telemetry decoders — the byte scanner ({@link TelemetryBytes}) and Jackson's streaming parser
 * ({@link TelemetryStream}) — are only ever shortcuts: for any bytes each either steps aside (null) or returns exactly
 * the event the general path (a tree, then the same rules) decodes — never an event where that path finds a
 * violation. Checked on generated records of every telemetry type (members in any order, optional members present,
 * absent or null, unknown extra members, whitespace), on records with one rule broken, and on byte-level mutations.
 */
class FastTelemetryPathsTest {
    private static final Map<String, Function<byte[], TelemetryEvent>> FAST = Map.of(
            "bytes", TelemetryBytes::decodeOrNull, "streaming", TelemetryStream::decodeOrNull);


    @Property(tries = 3000, seed = "20261129")
    void validRecordsAreTakenAndDecodedAsTheGeneralPathDoes(@ForAll long seed) {
        byte[] doc = new TelemetryGenerator(new Random(seed)).record(false).getBytes(StandardCharsets.UTF_8);
        FAST.forEach((name, decoder) -> {
            TelemetryEvent direct = decoder.apply(doc);
            assertThat(direct).as(name + ": " + show(doc)).isNotNull();
            assertThat(generalPath(doc)).as(name + ": " + show(doc)).isEqualTo(direct);
        });
    }

    @Property(tries = 3000, seed = "20261129")
    void aRecordWithARuleBrokenIsLeftToTheGeneralPath(@ForAll long seed) {
        byte[] doc = new TelemetryGenerator(new Random(seed)).record(true).getBytes(StandardCharsets.UTF_8);
        assertSameAsGeneralPath(doc);
    }

    @Property(tries = 3000, seed = "20261129")
    void mutatedRecordsNeverPassWhereTheGeneralPathFails(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int edits) {
        Random random = new Random(seed);
        byte[] doc = new TelemetryGenerator(random).record(random.nextInt(4) == 0).getBytes(StandardCharsets.UTF_8);
        for (int e = 0; e < edits && doc.length > 1; e++) {
            doc = FlatJsonTest.mutate(doc, random);
        }
        assertSameAsGeneralPath(doc);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00.000Z\",\"latency_ms\":-0.0,\"status\":200,\"error\":null}",
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00.000Z\",\"latency_ms\":-0,\"status\":-0,\"error\":null}",
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1E2,\"status\":999,\"error\":\"auth\",\"phases\":{},\"cold\":null,\"target\":\"\"}",
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1,\"status\":0,\"error\":null,\"phases\":{\"tls_ms\":null,\"body_ms\":0}}",
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1,\"status\":0,\"error\":null,\"x\":12345678901234567890123,\"y\":1e400,\"kind\":\"k\"}",
            "{\"type\":\"backlog\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00.123456789Z\",\"queue\":\"q\",\"length\":999999999999999999,\"oldest_age_ms\":0}",
            "{\"type\":\"heartbeat\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2024-02-29T23:59:59.9Z\",\"drill_id\":\"d\",\"status\":\"whatever\"}",
            "{\"type\":\"webhook\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"dedupe_key\":\"k\",\"emitted_from\":\"r\",\"key_fields\":null}"})
    void edgeCasesAreTakenAndAgree(String json) {
        byte[] doc = json.getBytes(StandardCharsets.UTF_8);
        FAST.forEach((name, decoder) -> {
            TelemetryEvent direct = decoder.apply(doc);
            assertThat(direct).as(name + ": " + json).isNotNull();
            assertThat(generalPath(doc)).as(name + ": " + json).isEqualTo(direct);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // the general path accepts these, but the scanner does not convert numbers, read nested unknowns or escapes
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1,\"status\":200.0,\"error\":null}",
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":12345678901234567890,\"status\":200,\"error\":null}",
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1,\"status\":200,\"error\":null,\"extra\":{\"a\":1}}",
            "{\"type\":\"request\",\"event_id\":\"e\\u0031\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1,\"status\":200,\"error\":null}",
            // broken rules: the general path names them
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1,\"status\":200}",
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1,\"status\":200,\"error\":null,\"phases\":{\"tls_ms\":-1}}",
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1e400,\"status\":200,\"error\":null}",
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1,\"status\":200,\"error\":null,\"x\":1,\"x\":2}",
            "{\"type\":\"request\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1,\"status\":200,\"error\":null,\"region\":\"r\"}",
            "{\"type\":\"cache\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"hit_ratio\":1.0000001}",
            "{\"type\":\"rag_probe\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"question_id\":\"q\",\"delta_s\":0.3,\"lambda\":\"convergent\",\"coverage\":0.9,\"top_ids\":[1]}",
            "{\"type\":\"webhook\",\"event_id\":\"e\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"dedupe_key\":\"k\",\"emitted_from\":\"r\",\"key_fields\":{\"rev\":3}}",
            "{\"type\":\"control\",\"event_id\":\"c\",\"ts\":\"2026-11-29T10:00:00Z\",\"drill_id\":\"d\",\"action\":\"start\"}",
            "{\"type\":\"health\",\"event_id\":\"\",\"region\":\"r\",\"observer\":\"o\",\"ts\":\"2026-11-29T10:00:00Z\",\"ready\":true}"})
    void outsideItsShapeItStepsAside(String json) {
        byte[] doc = json.getBytes(StandardCharsets.UTF_8);
        assertThat(TelemetryBytes.decodeOrNull(doc)).as(json).isNull();
        assertSameAsGeneralPath(doc);
    }

    @Test
    void everyPathOfTheCodecGivesTheSameEventsAndViolations() {
        Random random = new Random(20261129);
        for (int n = 0; n < 2000; n++) {
            byte[] doc = new TelemetryGenerator(random).record(n % 3 == 0).getBytes(StandardCharsets.UTF_8);
            Object expected = generalPathOrViolation(doc);
            assertThat(decodeOrViolation(() -> Codec.decodeInput(doc))).as(show(doc)).isEqualTo(expected);
            for (Codec.TelemetryPath path : Codec.TelemetryPath.values()) {
                assertThat(decodeOrViolation(() -> Codec.decodeInput(doc, path))).as(path + ": " + show(doc)).isEqualTo(expected);
            }
        }
    }

    @Test
    void theStreamingParserTakesWhatTheScannerLeavesButOnlyWhenItIsFine() {
        String envelope = "{\"type\":\"request\",\"event_id\":\"e\\u0031\",\"region\":\"r\",\"observer\":\"ö\","
                + "\"ts\":\"2026-11-29T10:00:00Z\",\"latency_ms\":1,\"status\":200,\"error\":null,\"extra\":{\"a\":[1,{}]}}";
        byte[] doc = envelope.getBytes(StandardCharsets.UTF_8);
        assertThat(TelemetryBytes.decodeOrNull(doc)).isNull();
        TelemetryEvent streamed = TelemetryStream.decodeOrNull(doc);
        assertThat(streamed).isNotNull().isEqualTo(generalPath(doc));
        assertThat(streamed.eventId()).isEqualTo("e1");
        assertThat(streamed.observer()).isEqualTo("ö");
    }

    @Test
    void theScannerKnowsEveryMemberTheSchemasDeclare() {
        for (String type : InputSchemas.NAMES) {
            JsonNode sample = GoldenSamplesTest.tree(GoldenSamplesTest.golden().resolve(type).resolve("valid.json"));
            sample.fieldNames().forEachRemaining(name -> {
                assertThat(JsonScanner.indexOf(name)).as(type + "." + name).isGreaterThanOrEqualTo(0);
                JsonNode value = sample.get(name);
                if (value.isObject() && !name.equals("detail") && !name.equals("key_fields")) { // free-form objects
                    value.fieldNames().forEachRemaining(nested ->
                            assertThat(JsonScanner.indexOf(nested)).as(type + "." + name + "." + nested).isGreaterThanOrEqualTo(0));
                }
            });
        }
        assertThat(JsonScanner.indexOf("no_such_member")).isEqualTo(-1);
    }

    private static void assertSameAsGeneralPath(byte[] doc) {
        FAST.forEach((name, decoder) -> {
            TelemetryEvent direct = decoder.apply(doc);
            if (direct != null) {
                assertThat(generalPathOrViolation(doc)).as(name + ": " + show(doc)).isEqualTo(direct);
            }
        });
    }

    /** What {@link Codec#decodeInput(byte[])} decoded before the direct path existed. */
    private static InputEvent generalPath(byte[] doc) {
        JsonNode tree = FlatJson.parseOrNull(doc);
        return Codec.decodeInput(tree != null ? tree : Codec.parse(doc));
    }

    private static Object generalPathOrViolation(byte[] doc) {
        return decodeOrViolation(() -> generalPath(doc));
    }

    private static Object decodeOrViolation(java.util.function.Supplier<InputEvent> decode) {
        try {
            return decode.get();
        } catch (ContractViolation v) {
            return v.path() + " " + v.getMessage();
        }
    }

    private static String show(byte[] doc) {
        return new String(doc, StandardCharsets.UTF_8);
    }

    /**
     * Telemetry records of every type as JSON text: valid ones (members shuffled, optionals present, absent or null,
     * unknown scalar extras, whitespace), or — with {@code breakARule} — the same with one member replaced by a value
     * that breaks its rule (wrong JSON type, out of range, one character too long, not a region, not a timestamp,
     * missing).
     */
    static final class TelemetryGenerator {
        private static final String[] TYPES = {"request", "backlog", "rag_probe", "index_meta", "health", "cache",
                "write", "webhook", "heartbeat"};
        private final Random r;

        TelemetryGenerator(Random r) {
            this.r = r;
        }

        String record(boolean breakARule) {
            List<String[]> members = new ArrayList<>();
            String type = TYPES[r.nextInt(TYPES.length)];
            members.add(new String[]{"type", q(type)});
            members.add(new String[]{"event_id", q(upTo(128, "e-" + r.nextInt(1_000_000)))});
            members.add(new String[]{"region", q(pick("us-east", "eu-west", "a", "r9-x"))});
            members.add(new String[]{"observer", q(upTo(256, pick("obs-a", "obs-b", "rag", "o")))});
            members.add(new String[]{"ts", q(pick("2026-11-29T10:00:00.000Z", "2026-11-29T10:00:01Z", "2024-02-29T23:59:59.123456Z"))});
            optional(members, "drill_id", q(upTo(128, pick("d-1", "golden brownout"))));
            switch (type) {
                case "request" -> {
                    members.add(new String[]{"latency_ms", number(0, 5000)});
                    members.add(new String[]{"status", Integer.toString(r.nextInt(1000))});
                    members.add(new String[]{"error", r.nextBoolean() ? "null" : q(pick("connect", "tls", "timeout", "http_5xx", "auth"))});
                    optional(members, "phases", phases());
                    optional(members, "cold", Boolean.toString(r.nextBoolean()));
                    optional(members, "target", q(pick("/api", "", "/v1/answer")));
                }
                case "backlog" -> {
                    members.add(new String[]{"queue", q(upTo(256, pick("writes", "webhooks")))});
                    members.add(new String[]{"length", Long.toString(r.nextInt(100_000))});
                    members.add(new String[]{"oldest_age_ms", number(0, 600_000)});
                }
                case "rag_probe" -> {
                    members.add(new String[]{"question_id", q(upTo(256, "q-" + r.nextInt(20)))});
                    members.add(new String[]{"delta_s", number(0, 2)});
                    members.add(new String[]{"lambda", q(pick("convergent", "divergent", "recursive", "chaotic"))});
                    members.add(new String[]{"coverage", number(0, 1)});
                    optional(members, "top_ids", strings());
                    optional(members, "answer_hash", q(pick("a", "9f86d081", "")));
                }
                case "index_meta" -> {
                    members.add(new String[]{"index_hash", q(upTo(256, pick("hash-1", "sha256:abc")))});
                    members.add(new String[]{"metric", q(upTo(128, pick("cosine", "dot")))});
                    members.add(new String[]{"analyzer", q(upTo(128, "standard"))});
                    members.add(new String[]{"build_ts", q("2026-11-28T10:00:00.000Z")});
                    optional(members, "embed_model", q("all-MiniLM-L6-v2"));
                    optional(members, "contract_fields", strings());
                }
                case "health" -> members.add(new String[]{"ready", Boolean.toString(r.nextBoolean())});
                case "cache" -> {
                    members.add(new String[]{"hit_ratio", number(0, 1)});
                    optional(members, "hot_keys_present", Boolean.toString(r.nextBoolean()));
                }
                case "write" -> {
                    members.add(new String[]{"write_id", q(upTo(256, "w-" + r.nextInt(1000)))});
                    members.add(new String[]{"state", q(pick("acked", "enqueued", "applied"))});
                    members.add(new String[]{"writer_region", q(pick("us-east", "eu-west"))});
                }
                case "webhook" -> {
                    members.add(new String[]{"dedupe_key", q(upTo(256, "k-" + r.nextInt(1000)))});
                    members.add(new String[]{"emitted_from", q(pick("us-east", "eu-west"))});
                }
                default -> {
                }
            }
            if (r.nextInt(4) == 0) { // unknown extras are ignored, also names of other types
                members.add(new String[]{pick("x", "version", "queue", "lambda", "latency_ms", "a-b"), pick("1", "\"s\"", "true", "null", "-2.5e3")});
                dedupe(members);
            }
            if (breakARule) {
                breakOne(members);
            }
            Collections.shuffle(members, r);
            StringBuilder sb = new StringBuilder(ws()).append('{');
            for (int k = 0; k < members.size(); k++) {
                sb.append(k > 0 ? "," : "").append(ws()).append('"').append(members.get(k)[0]).append('"').append(ws())
                        .append(':').append(ws()).append(members.get(k)[1]).append(ws());
            }
            return sb.append('}').append(ws()).toString();
        }

        private void breakOne(List<String[]> members) {
            int k = r.nextInt(members.size());
            String[] m = members.get(k);
            switch (r.nextInt(8)) {
                case 0 -> {
                    members.remove(k);
                    return;
                }
                case 1 -> { // a duplicate member, same or other value: Jackson refuses it
                    members.add(new String[]{m[0], r.nextBoolean() ? m[1] : "1"});
                    return;
                }
                default -> {
                }
            }
            m[1] = pick("null", "\"\"", "-1", "1000", "2.5", "true", "[]", "{}", "\"US-EAST\"", "\"2026-13-01T00:00:00Z\"",
                    q("x".repeat(129)), q("x".repeat(257)), "\"nope\"", "1e400", "3", "200.0", "-0.5");
        }

        private void dedupe(List<String[]> members) {
            String last = members.get(members.size() - 1)[0];
            for (int k = 0; k < members.size() - 1; k++) {
                if (members.get(k)[0].equals(last)) {
                    members.remove(members.size() - 1);
                    return;
                }
            }
        }

        private void optional(List<String[]> members, String name, String value) {
            switch (r.nextInt(3)) {
                case 0 -> members.add(new String[]{name, value});
                case 1 -> members.add(new String[]{name, "null"});
                default -> {
                }
            }
        }

        private String phases() {
            List<String> parts = new ArrayList<>();
            for (String name : new String[]{"connect_ms", "tls_ms", "ttfb_ms", "body_ms"}) {
                switch (r.nextInt(3)) {
                    case 0 -> parts.add('"' + name + "\":" + number(0, 500));
                    case 1 -> parts.add('"' + name + "\":null");
                    default -> {
                    }
                }
            }
            Collections.shuffle(parts, r);
            return "{" + String.join(",", parts) + "}";
        }

        private String strings() {
            List<String> parts = new ArrayList<>();
            for (int k = r.nextInt(4); k > 0; k--) {
                parts.add(q("s" + r.nextInt(10)));
            }
            return "[" + String.join(", ", parts) + "]";
        }

        /** A number in [min, max] in any JSON spelling: integer, fraction, exponent. */
        private String number(double min, double max) {
            double d = min + (max - min) * r.nextDouble();
            return switch (r.nextInt(4)) {
                case 0 -> Long.toString((long) d);
                case 1 -> Double.toString(d);
                case 2 -> String.format(java.util.Locale.ROOT, "%.3f", Math.min(d, max));
                default -> String.format(java.util.Locale.ROOT, "%.2e", d).replace("e+0", "e").replace("e-0", "e-");
            };
        }

        /**
         * {@code usual}, or now and then a string of exactly {@code max} characters — the longest the rule allows, so
         * that a limit that differs between the two decoders shows (rule-breaking records use {@code max + 1}).
         */
        private String upTo(int max, String usual) {
            return r.nextInt(8) == 0 ? "x".repeat(max) : usual;
        }

        private String pick(String... options) {
            return options[r.nextInt(options.length)];
        }

        private String ws() {
            return r.nextInt(5) == 0 ? " " : "";
        }

        private static String q(String s) {
            return '"' + s + '"';
        }
    }
}

package io.failoverdrill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.failoverdrill.schemas.event.InputEvent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fast parser is only ever a shortcut: for any bytes it either steps aside (null) or returns exactly the tree
 * Jackson builds under the codec's settings (same node classes, same values, same member order) — and it never
 * accepts what Jackson rejects. Checked on generated documents, on byte-level mutations of them, and on the edge cases
 * of JSON's grammar.
 */
class FlatJsonTest {

    @Property(tries = 3000, seed = "20261129")
    void generatedDocumentsParseExactlyAsJacksonDoes(@ForAll long seed) {
        byte[] doc = new Generator(new Random(seed)).document().getBytes(StandardCharsets.UTF_8);
        assertSameAsJackson(doc);
    }

    @Property(tries = 3000, seed = "20261129")
    void mutatedDocumentsNeverPassWhereJacksonFails(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int edits) {
        Random random = new Random(seed);
        byte[] doc = new Generator(random).document().getBytes(StandardCharsets.UTF_8);
        for (int e = 0; e < edits && doc.length > 1; e++) {
            doc = mutate(doc, random);
        }
        assertSameAsJackson(doc);
    }

    @Property(tries = 500, seed = "20261129")
    void theCommonShapeTakesTheFastPath(@ForAll long seed) {
        Generator g = new Generator(new Random(seed));
        g.onlyFastShapes = true;
        byte[] doc = g.document().getBytes(StandardCharsets.UTF_8);
        assertThat(FlatJson.parseOrNull(doc)).as(new String(doc, StandardCharsets.UTF_8)).isNotNull();
        assertSameAsJackson(doc);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":-0}", "{\"a\":-0.0}", "{\"a\":0.0}", "{\"a\":1.0}", "{\"a\":1e2}", "{\"a\":1E-2}",
            "{\"a\":2147483647}", "{\"a\":2147483648}", "{\"a\":-2147483648}", "{\"a\":-2147483649}",
            "{\"a\":999999999999999999}", "{\"a\":40.04827364553721}", "{\"a\":0.1}", "{\"a\":123456789.123456789e-3}",
            " {\"a\" : [ ] , \"b\" : { } }\n", "{\"a\":[\"x\",\"\"]}", "{\"a\":{\"b\":{\"c\":null}}}", "{}",
            "{\"a\":true,\"b\":false,\"c\":null}", "{\"a\":\"\u007f\"}"})
    void edgeCasesOfTheGrammarMatchJackson(String json) {
        byte[] doc = json.getBytes(StandardCharsets.UTF_8);
        assertThat(FlatJson.parseOrNull(doc)).as(json).isNotNull();
        assertSameAsJackson(doc);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":1e400}",
            "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":1,}", "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":1,\"a\":2}", "{a:1}",
            "{'a':1}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nulll}", "{\"a\":\"\\n\"}", "{\"a\":\"é\"}",
            "{\"a\":\"x\ty\"}", "\uFEFF{\"a\":1}", "[1]", "\"x\"", "{\"a\":[1]}", "{\"a\":12345678901234567890}",
            "{\"a\":1 2}", "{\"a\" 1}", "{\"a\":[\"x\",]}", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{}}}}}}}}}",
            "{\"a\":1", ""})
    void outsideTheFastShapeItStepsAside(String json) {
        byte[] doc = json.getBytes(StandardCharsets.UTF_8);
        assertThat(FlatJson.parseOrNull(doc)).as(json).isNull();
        assertSameAsJackson(doc);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"request\",\"event_id\":\"e-1\",\"region\":\"us-east\",\"observer\":\"obs-a\",\"ts\":\"2026-11-29T10:00:00.000Z\",\"latency_ms\":41.5,\"status\":200,\"error\":null,\"phases\":{\"connect_ms\":1.5,\"tls_ms\":2,\"ttfb_ms\":30,\"body_ms\":8},\"cold\":false,\"target\":\"/api\"}",
            "{\"type\":\"request\",\"event_id\":\"e-1\",\"region\":\"us-east\",\"observer\":\"obs-a\",\"ts\":\"2026-11-29T10:00:00.000Z\",\"latency_ms\":-1,\"status\":200,\"error\":null}",
            "{\"type\":\"request\",\"event_id\":\"e-1\",\"region\":\"US\",\"observer\":\"obs-a\",\"ts\":\"2026-11-29T10:00:00.000Z\",\"latency_ms\":1,\"status\":200,\"error\":null}",
            "{\"type\":\"request\",\"event_id\":\"e-1\",\"region\":\"us-east\",\"observer\":\"obs-a\",\"ts\":\"2026-11-29T10:00:00.000Z\",\"latency_ms\":1,\"status\":200.5,\"error\":null}",
            "{\"type\":\"rag_probe\",\"event_id\":\"e-2\",\"region\":\"eu-west\",\"observer\":\"rag\",\"ts\":\"2026-11-29T10:00:00Z\",\"question_id\":\"q-1\",\"delta_s\":0.31,\"lambda\":\"convergent\",\"coverage\":0.9,\"top_ids\":[\"a\",\"b\"]}",
            "{\"type\":\"ack\",\"event_id\":\"a-1\",\"ts\":\"2026-11-29T10:00:00.000Z\",\"region\":\"us-east\",\"observer\":\"act\",\"command_id\":\"c\",\"status\":\"applied\",\"detail\":{\"x\":1}}",
            "{\"type\":\"nope\",\"event_id\":\"e-1\"}"})
    void decodedEventsAndViolationsAreTheSameEitherWay(String json) {
        byte[] doc = json.getBytes(StandardCharsets.UTF_8);
        ObjectNode fast = FlatJson.parseOrNull(doc);
        assertThat(fast).isNotNull();
        Object viaFast = decodeOrViolation(fast);
        Object viaJackson = decodeOrViolation(Codec.parse(doc));
        assertThat(viaFast).isEqualTo(viaJackson);
    }

    private static Object decodeOrViolation(JsonNode tree) {
        try {
            InputEvent e = Codec.decodeInput(tree);
            return e;
        } catch (ContractViolation v) {
            return v.path() + " " + v.getMessage();
        }
    }

    private static void assertSameAsJackson(byte[] doc) {
        ObjectNode fast = FlatJson.parseOrNull(doc);
        String shown = new String(doc, StandardCharsets.UTF_8);
        JsonNode jackson;
        try {
            jackson = Codec.parse(doc);
        } catch (ContractViolation v) {
            assertThat(fast).as("Jackson rejects (%s) but the fast path accepted %s", v.getMessage(), shown).isNull();
            return;
        }
        if (fast != null) {
            assertThat(fast).as(shown).isEqualTo(jackson);
            assertThat(fast.toString()).as(shown).isEqualTo(jackson.toString());
            assertSameNodeClasses(fast, jackson, shown);
        }
    }

    private static void assertSameNodeClasses(JsonNode a, JsonNode b, String shown) {
        assertThat(a.getClass()).as(shown).isEqualTo(b.getClass());
        if (a.isContainerNode()) {
            assertThat(a.size()).isEqualTo(b.size());
            if (a.isObject()) {
                a.fieldNames().forEachRemaining(n -> assertSameNodeClasses(a.get(n), b.get(n), shown));
            } else {
                for (int k = 0; k < a.size(); k++) {
                    assertSameNodeClasses(a.get(k), b.get(k), shown);
                }
            }
        }
    }

    /** One byte-level edit: replace, delete or insert a byte (JSON's punctuation, digits, escapes, non-ASCII), or truncate. */
    static byte[] mutate(byte[] doc, Random random) {
        int at = random.nextInt(doc.length);
        byte[] pool = "{}[]\",:.-+eE0123456789 \t\n\\ntfaxé\u0001".getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(4)) {
            case 0: { // replace
                byte[] out = doc.clone();
                out[at] = pool[random.nextInt(pool.length)];
                return out;
            }
            case 1: { // delete
                byte[] out = new byte[doc.length - 1];
                System.arraycopy(doc, 0, out, 0, at);
                System.arraycopy(doc, at + 1, out, at, doc.length - at - 1);
                return out;
            }
            case 2: { // insert
                byte[] out = new byte[doc.length + 1];
                System.arraycopy(doc, 0, out, 0, at);
                out[at] = pool[random.nextInt(pool.length)];
                System.arraycopy(doc, at, out, at + 1, doc.length - at);
                return out;
            }
            default: // truncate
                return java.util.Arrays.copyOf(doc, at);
        }
    }

    /** Random JSON objects: mostly the contracts' shapes, sometimes beyond the fast path (escapes, deep, big numbers). */
    static final class Generator {
        private final Random r;
        boolean onlyFastShapes;

        Generator(Random r) {
            this.r = r;
        }

        String document() {
            return ws() + object(1) + ws();
        }

        private String ws() {
            return switch (r.nextInt(6)) {
                case 0 -> " ";
                case 1 -> "\n\t ";
                default -> "";
            };
        }

        private String object(int depth) {
            StringBuilder sb = new StringBuilder("{");
            int n = r.nextInt(depth == 1 ? 12 : 4);
            java.util.Set<String> used = new java.util.HashSet<>();
            for (int k = 0; k < n; k++) {
                String name = name();
                if (onlyFastShapes && !used.add(name)) {
                    continue;
                }
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append(ws()).append('"').append(name).append('"').append(ws()).append(':').append(ws()).append(value(depth));
            }
            return sb.append(ws()).append('}').toString();
        }

        private String name() {
            String[] names = {"type", "event_id", "region", "ts", "latency_ms", "status", "error", "phases", "x", "top_ids", "a-b"};
            return names[r.nextInt(names.length)];
        }

        private String value(int depth) {
            int kind = r.nextInt(onlyFastShapes ? 8 : 11);
            return switch (kind) {
                case 0, 1 -> '"' + text() + '"';
                case 2 -> Integer.toString(r.nextInt());
                case 3 -> Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6));
                case 4 -> r.nextBoolean() ? "true" : (r.nextBoolean() ? "false" : "null");
                case 5 -> depth < 4 ? object(depth + 1) : "1";
                case 6 -> stringArray();
                case 7 -> Long.toString(r.nextLong() % 1_000_000_000_000_000_000L / (1L << r.nextInt(40))); // ≤ 18 digits
                case 8 -> "\"esc\\\"aped\\u00e9\"";
                case 9 -> "12345678901234567890123";
                default -> "\"ünïcode\"";
            };
        }

        private String stringArray() {
            StringBuilder sb = new StringBuilder("[");
            int n = r.nextInt(4);
            for (int k = 0; k < n; k++) {
                sb.append(k > 0 ? "," : "").append(ws()).append('"').append(text()).append('"');
            }
            return sb.append(']').toString();
        }

        private String text() {
            String chars = "abcxyz-_.:/ 0123456789TZ";
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(20);
            for (int k = 0; k < n; k++) {
                sb.append(chars.charAt(r.nextInt(chars.length())));
            }
            return sb.toString();
        }
    }

    @org.junit.jupiter.api.Test
    void aRecordTooLargeIsLeftToJacksonsLimitCheck() {
        byte[] big = ("{\"a\":\"" + "x".repeat(Codec.MAX_RECORD_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(FlatJson.parseOrNull(big)).isNull();
        assertThatThrownBy(() -> Codec.decodeInput(big)).isInstanceOf(ContractViolation.class).hasMessageContaining("at most");
    }
}

package io.failoverdrill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.failoverdrill.schemas.plan.PlanDecoder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every contract type has a JSON Schema file and golden samples: one valid (decoded, re-encoded byte for byte,
 * accepted by the JSON Schema) and several invalid (rejected by the codec at the expected JSON path, and by the
 * JSON Schema too unless the rule is one JSON Schema cannot express).
 */
class GoldenSamplesTest {
    static final List<String> ALL_TYPES = List.of("request", "backlog", "rag_probe", "index_meta", "health", "cache",
            "write", "webhook", "heartbeat", "control", "ack", "command.set_weights", "command.freeze_writes",
            "command.unfreeze_writes", "command.promote_writer", "command.stick", "command.route_webhooks",
            "command.rebuild_index", "command.purge_cache", "command.rewarm_cache", "command.clamp",
            "command.release_clamp", "phase", "verdict", "plan", "stop");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    static Path golden() {
        try {
            return Path.of(GoldenSamplesTest.class.getResource("/golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonSchema schema(String type) {
        try (InputStream in = GoldenSamplesTest.class.getResourceAsStream("/schemas/v1/" + type + ".schema.json")) {
            assertThat(in).as("schema file for " + type).isNotNull();
            return FACTORY.getSchema(in, CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path p) {
        return new String(read(p), StandardCharsets.UTF_8).strip();
    }

    static JsonNode tree(Path p) {
        try {
            return MAPPER.readTree(read(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes with the codec entry point that fits the type. */
    static Object decode(String type, byte[] bytes) {
        if (type.equals("plan")) {
            return Codec.decodePlan(bytes);
        }
        if (type.startsWith("command.") || type.equals("phase") || type.equals("verdict")) {
            return Codec.decodeDecision(bytes);
        }
        return Codec.decodeInput(bytes);
    }

    @Test
    void everyContractTypeHasASchemaAndGoldenSamples() {
        for (String type : ALL_TYPES) {
            assertThat(golden().resolve(type).resolve("valid.json")).as(type).exists();
            assertThat(golden().resolve(type).resolve("invalid/expected.tsv")).as(type).exists();
            assertThat(schema(type)).isNotNull();
        }
    }

    @TestFactory
    Stream<DynamicTest> validSamplesDecodeReencodeCanonicallyAndPassTheSchema() {
        return ALL_TYPES.stream().map(type -> DynamicTest.dynamicTest(type, () -> {
            Path file = golden().resolve(type).resolve("valid.json");
            Object decoded = decode(type, read(file));
            Set<ValidationMessage> errors = schema(type).validate(tree(file));
            assertThat(errors).as("JSON Schema errors for " + type).isEmpty();
            if (decoded instanceof CanonicalJson.JsonWritable w) {
                assertThat(Codec.encodeToString(w)).isEqualTo(text(file));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidSamplesAreRejectedWithTheirPath() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String type : ALL_TYPES) {
            Path dir = golden().resolve(type).resolve("invalid");
            for (String line : text(dir.resolve("expected.tsv")).split("\n")) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                String name = cols[0];
                String path = cols[1];
                boolean schemaToo = cols[2].equals("both");
                tests.add(DynamicTest.dynamicTest(type + "/" + name, () -> {
                    Path file = dir.resolve(name + ".json");
                    RuntimeException e = catchThrowableOfType(RuntimeException.class, () -> decode(type, read(file)));
                    assertThat(e).as("codec must reject " + name).isNotNull();
                    List<ContractViolation> violations = e instanceof PlanDecoder.PlanInvalid pi
                            ? pi.violations() : List.of((ContractViolation) e);
                    assertThat(violations).extracting(ContractViolation::path).contains(path);
                    assertThat(violations).allSatisfy(v -> assertThat(v.rule()).isNotBlank());
                    if (schemaToo) {
                        assertThat(schema(type).validate(tree(file))).as("JSON Schema must reject " + name).isNotEmpty();
                    }
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> malformedRecordsAreRejectedAtTheirPath() {
        Path dir = golden().resolve("malformed");
        return Stream.of(text(dir.resolve("expected.tsv")).split("\n"))
                .filter(l -> !l.startsWith("#"))
                .map(l -> l.split("\t"))
                .map(cols -> DynamicTest.dynamicTest(cols[0], () -> assertThatThrownBy(
                        () -> Codec.decodeInput(read(dir.resolve(cols[0] + ".json"))))
                        .isInstanceOfSatisfying(ContractViolation.class, v -> assertThat(v.path()).isEqualTo(cols[1]))));
    }
}

package io.failoverdrill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/contracts.md is the contract the Javadoc cites: every field of every JSON Schema must be written down in it. */
class ContractsDocTest {
    static final Path DOC = Path.of("..", "docs", "contracts.md");
    static final Path SCHEMAS = Path.of("src", "main", "resources", "schemas", "v1");

    @Test
    void everySchemaFieldIsInTheContractDocument() throws IOException {
        String doc = Files.readString(DOC);
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".schema.json")).toList()) {
                collect(new ObjectMapper().readTree(f.toFile()), doc, f.getFileName().toString(), missing);
            }
        }
        assertThat(missing).as("schema fields not in docs/contracts.md").isEmpty();
    }

    private static void collect(JsonNode n, String doc, String file, Set<String> missing) {
        if (n.isObject()) {
            JsonNode props = n.get("properties");
            if (props != null) {
                props.fieldNames().forEachRemaining(name -> {
                    if (!Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])").matcher(doc).find()) {
                        missing.add(file + ": " + name);
                    }
                });
            }
            n.elements().forEachRemaining(c -> collect(c, doc, file, missing));
        } else if (n.isArray()) {
            n.elements().forEachRemaining(c -> collect(c, doc, file, missing));
        }
    }
}

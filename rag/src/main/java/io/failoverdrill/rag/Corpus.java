package io.failoverdrill.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The retrieval corpus: snippets in JSONL ({@code snippet_id}, {@code doc_id}, {@code section_id}, {@code text}).
 * The bundled one ({@code rag/corpus.jsonl}, 240 snippets written for this project: an operations handbook of a
 * fictional multi-region service) is what the simulated regions index. {@link #rev()} is derived from the content,
 * so an edited corpus changes every INDEX_HASH built from it.
 */
public final class Corpus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Passage> byId = new LinkedHashMap<>();
    private final String rev;

    private Corpus(byte[] jsonl) {
        String[] lines = new String(jsonl, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(lines[i]);
                Passage p = new Passage(n.get("snippet_id").asText(), n.get("doc_id").asText(),
                        n.get("section_id").asText(), n.get("text").asText());
                if (byId.put(p.snippetId(), p) != null) {
                    throw new IllegalArgumentException("corpus line " + (i + 1) + ": snippet_id " + p.snippetId() + " repeated");
                }
            } catch (IOException | NullPointerException e) {
                throw new IllegalArgumentException("corpus line " + (i + 1) + ": needs snippet_id, doc_id, section_id, text", e);
            }
        }
        rev = "corpus-" + io.failoverdrill.schemas.Sha256.hex(jsonl).substring(0, 12);
    }

    /** The corpus committed with the project. */
    public static Corpus bundled() {
        return new Corpus(resource("/rag/corpus.jsonl"));
    }

    public static Corpus of(byte[] jsonl) {
        return new Corpus(jsonl);
    }

    public List<Passage> passages() {
        return new ArrayList<>(byId.values());
    }

    public Passage get(String snippetId) {
        return byId.get(snippetId);
    }

    public String rev() {
        return rev;
    }

    static byte[] resource(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

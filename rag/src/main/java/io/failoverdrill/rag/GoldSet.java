package io.failoverdrill.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The RAG probe's gold set: per question its id, the question, exactly three paraphrases and the gold snippet
 * ids (the target section). JSON: {@code {"questions":[{"question_id","question","paraphrases":[3],"gold":[ids]}]}}.
 */
public record GoldSet(List<Question> questions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One gold question. */
    public record Question(String questionId, String question, List<String> paraphrases, List<String> gold) {
        /** The question followed by its paraphrases: the phrasings λ is judged over. */
        public List<String> phrasings() {
            List<String> all = new ArrayList<>();
            all.add(question);
            all.addAll(paraphrases);
            return all;
        }
    }

    public GoldSet {
        questions = List.copyOf(questions);
    }

    /** The gold set committed with the project (30 questions over the bundled corpus). */
    public static GoldSet bundled() {
        return parse(Corpus.resource("/rag/gold.json"), "bundled gold set");
    }

    /** Reads a gold set file; errors name the file, the JSON path and the rule. */
    public static GoldSet read(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("gold set " + file + " cannot be read: " + e.getMessage());
        }
    }

    static GoldSet parse(byte[] bytes, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage());
        }
        JsonNode qs = root == null ? null : root.get("questions");
        if (qs == null || !qs.isArray() || qs.isEmpty()) {
            throw new IllegalArgumentException(source + ": $.questions must be a non-empty array");
        }
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < qs.size(); i++) {
            String at = "$.questions[" + i + "]";
            JsonNode q = qs.get(i);
            String id = text(q, "question_id", at, source);
            String question = text(q, "question", at, source);
            List<String> paraphrases = strings(q, "paraphrases", at, source);
            if (paraphrases.size() != 3) {
                throw new IllegalArgumentException(source + ": " + at + ".paraphrases must hold exactly 3 strings");
            }
            out.add(new Question(id, question, paraphrases, strings(q, "gold", at, source)));
        }
        return new GoldSet(out);
    }

    private static String text(JsonNode q, String field, String at, String source) {
        JsonNode v = q.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(source + ": " + at + "." + field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode q, String field, String at, String source) {
        JsonNode v = q.get(field);
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + at + "." + field + " must be a non-empty array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new IllegalArgumentException(source + ": " + at + "." + field + "[" + i + "] must be a string");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }
}

package io.failoverdrill.rag;

/** One snippet of the corpus: {@code snippetId} is unique; {@code sectionId} groups snippets of one section. */
public record Passage(String snippetId, String docId, String sectionId, String text) {
    /** Whitespace-separated words, the unit coverage is counted in. */
    public static int words(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }
}

package io.failoverdrill.rag;

/**
 * The parameters a retrieval index was built from. INDEX_HASH = sha256(model id + tokenizer version + chunk
 * schema + metric + dim + store params + corpus rev), joined with {@code |}, as in WFGY's update-and-index-skew page.
 * {@code analyzer} is how chunk text is prepared before embedding: {@code standard} (the whole snippet) or
 * {@code truncate-N} (only the first N words are indexed and stored — what a tokenizer built with a too-small max
 * sequence length does). The analyzer is reported in the index metadata but, as in WFGY's formula, it reaches the
 * hash only through the tokenizer version it comes with ({@link #withTruncatingTokenizer}).
 */
public record IndexArtifact(String modelId, String tokenizerVersion, String chunkSchema, String metric, int dim,
                            String storeParams, String corpusRev, String analyzer, long buildTsMs) {

    /** The correct build over {@code corpus}. */
    public static IndexArtifact standard(Corpus corpus, long buildTsMs) {
        return new IndexArtifact(Embedder.MODEL_ID, "bert-base-uncased@1", "doc/section/snippet@v1", "cosine",
                Embedder.DIM, "flat", corpus.rev(), "standard", buildTsMs);
    }

    public String indexHash() {
        return io.failoverdrill.schemas.Sha256.hex(String.join("|", modelId, tokenizerVersion, chunkSchema, metric,
                Integer.toString(dim), storeParams, corpusRev));
    }

    /** The same build with another similarity metric ({@code cosine}, {@code dot} or {@code l2}). */
    public IndexArtifact withMetric(String newMetric) {
        return new IndexArtifact(modelId, tokenizerVersion, chunkSchema, newMetric, dim, storeParams, corpusRev,
                analyzer, buildTsMs);
    }

    /**
     * The index skew the sim injects: a rebuild whose tokenizer was configured with a max length of {@code words}
     * words, so only the start of each snippet is indexed (analyzer {@code truncate-N}).
     */
    public IndexArtifact withTruncatingTokenizer(int words) {
        return new IndexArtifact(modelId, tokenizerVersion + "+max_len=" + words, chunkSchema, metric, dim, storeParams,
                corpusRev, "truncate-" + words, buildTsMs);
    }

    /** How many leading words of a snippet this build indexes, or {@code Integer.MAX_VALUE} for all. */
    public int indexedWords() {
        return analyzer.startsWith("truncate-") ? Integer.parseInt(analyzer.substring("truncate-".length()))
                : Integer.MAX_VALUE;
    }
}

package io.failoverdrill.rag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A flat (exact) vector index over a corpus, built as an {@link IndexArtifact} says: the analyzer decides which text
 * of each snippet is embedded and stored, the metric how a query is scored ({@code cosine}; {@code dot}, which on
 * unit vectors ranks exactly like cosine; {@code l2}, reported as negative distance). Immutable and thread-safe.
 */
public final class VectorIndex {
    /** One retrieved chunk: its id, the stored text and the score (higher is closer). */
    public record Hit(String snippetId, String text, double score) {
    }

    private final IndexArtifact artifact;
    private final List<String> ids = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private final float[][] vectors;
    private final Embedder embedder;

    public VectorIndex(Corpus corpus, IndexArtifact artifact, Embedder embedder) {
        this.artifact = artifact;
        this.embedder = embedder;
        int keep = artifact.indexedWords();
        for (Passage p : corpus.passages()) {
            ids.add(p.snippetId());
            String[] words = p.text().strip().split("\\s+");
            texts.add(words.length <= keep ? p.text() : String.join(" ", Arrays.copyOf(words, keep)));
        }
        vectors = embedder.embedAll(texts).toArray(new float[0][]);
    }

    public IndexArtifact artifact() {
        return artifact;
    }

    /** The {@code k} chunks closest to {@code query}, best first; ties broken by snippet id. */
    public List<Hit> search(String query, int k) {
        float[] q = embedder.embed(query);
        List<Hit> all = new ArrayList<>(ids.size());
        for (int i = 0; i < vectors.length; i++) {
            all.add(new Hit(ids.get(i), texts.get(i), score(q, vectors[i])));
        }
        all.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparing(Hit::snippetId));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    private double score(float[] q, float[] v) {
        if (artifact.metric().equals("l2")) {
            double d = 0;
            for (int i = 0; i < q.length; i++) {
                double x = q[i] - v[i];
                d += x * x;
            }
            return -Math.sqrt(d);
        }
        return Embedder.cosine(q, v); // cosine and dot coincide on unit vectors
    }
}

package io.failoverdrill.sim;

import io.failoverdrill.rag.Corpus;
import io.failoverdrill.rag.Embedder;
import io.failoverdrill.rag.IndexArtifact;
import io.failoverdrill.rag.VectorIndex;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retrieval indexes of the simulated regions, one per build ({@link IndexArtifact}) over the bundled corpus,
 * shared by every region with the same build. Built on first use with the real embedding model.
 */
public final class RetrievalIndexes {
    private static final Corpus CORPUS = Corpus.bundled();
    private static final Map<IndexArtifact, VectorIndex> BUILT = new ConcurrentHashMap<>();

    private RetrievalIndexes() {
    }

    public static Corpus corpus() {
        return CORPUS;
    }

    /** The correct build of the bundled corpus, stamped {@code buildTsMs}. */
    public static IndexArtifact standard(long buildTsMs) {
        return IndexArtifact.standard(CORPUS, buildTsMs);
    }

    public static VectorIndex of(IndexArtifact artifact) {
        return BUILT.computeIfAbsent(artifact, a -> new VectorIndex(CORPUS, a, Embedder.shared()));
    }
}

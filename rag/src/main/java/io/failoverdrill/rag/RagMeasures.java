package io.failoverdrill.rag;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The RAG measures the probe reports, defined once:
 * <ul>
 * <li><b>ΔS</b> = 1 − cos(e(question), e(top retrieved chunk)), all-MiniLM-L6-v2 unit vectors; in [0, 2].</li>
 * <li><b>coverage</b> = words of the gold snippets found in the top-k (counting only the words the retrieved chunk
 * actually holds) ÷ words of the gold snippets; in [0, 1].</li>
 * <li><b>λ</b> from the top-3 citations of the question and its three paraphrases (four phrasings):
 * {@code convergent} — all four phrasings cite the same top-1 snippet; {@code divergent} — the top-1 differs, but
 * at least one snippet is in every phrasing's top-3 (the answers still share an anchor); {@code recursive} — no
 * snippet is shared by all four, yet every phrasing's top-1 reappears in another phrasing's top-3 (the citations
 * circle a small set); {@code chaotic} — otherwise.</li>
 * <li><b>dual-home parity</b> = Jaccard of the top-{@code dualhome_k} snippet ids of two regions (&lt; 0.6 fails).</li>
 * </ul>
 */
public final class RagMeasures {
    public static final int LAMBDA_TOP = 3;

    private RagMeasures() {
    }

    public static double deltaS(Embedder embedder, String question, String topChunk) {
        return Embedder.deltaS(embedder.embed(question), embedder.embed(topChunk));
    }

    public static double coverage(Corpus corpus, List<String> gold, List<VectorIndex.Hit> topK) {
        long total = 0;
        long covered = 0;
        for (String id : gold) {
            Passage p = corpus.get(id);
            if (p == null) {
                throw new IllegalArgumentException("gold snippet " + id + " is not in the corpus");
            }
            int words = Passage.words(p.text());
            total += words;
            for (VectorIndex.Hit h : topK) {
                if (h.snippetId().equals(id)) {
                    covered += Math.min(words, Passage.words(h.text()));
                    break;
                }
            }
        }
        return total == 0 ? 0 : (double) covered / total;
    }

    /** λ over the ranked citation lists of the phrasings (see the class comment). */
    public static String lambda(List<List<String>> citations) {
        if (citations.isEmpty() || citations.stream().anyMatch(List::isEmpty)) {
            return "chaotic";
        }
        String top = citations.get(0).get(0);
        if (citations.stream().allMatch(c -> c.get(0).equals(top))) {
            return "convergent";
        }
        Set<String> shared = new HashSet<>(head(citations.get(0)));
        citations.forEach(c -> shared.retainAll(head(c)));
        if (!shared.isEmpty()) {
            return "divergent";
        }
        for (int i = 0; i < citations.size(); i++) {
            String first = citations.get(i).get(0);
            boolean reappears = false;
            for (int j = 0; j < citations.size() && !reappears; j++) {
                reappears = j != i && head(citations.get(j)).contains(first);
            }
            if (!reappears) {
                return "chaotic";
            }
        }
        return "recursive";
    }

    /** Jaccard similarity of the first {@code k} ids of each list. */
    public static double jaccard(List<String> a, List<String> b, int k) {
        Set<String> x = new HashSet<>(a.subList(0, Math.min(k, a.size())));
        Set<String> y = new HashSet<>(b.subList(0, Math.min(k, b.size())));
        if (x.isEmpty() && y.isEmpty()) {
            return 1.0;
        }
        Set<String> union = new HashSet<>(x);
        union.addAll(y);
        x.retainAll(y);
        return (double) x.size() / union.size();
    }

    private static List<String> head(List<String> ids) {
        return ids.subList(0, Math.min(LAMBDA_TOP, ids.size()));
    }
}

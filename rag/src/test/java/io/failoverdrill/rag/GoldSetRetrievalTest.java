package io.failoverdrill.rag;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed corpus and gold set against the real all-MiniLM-L6-v2 model: a correct index answers every gold
 * question within the ΔS target and convergently; an index rebuilt with a truncating tokenizer (the sim's index-skew
 * fault) loses ΔS, coverage or dual-home parity on most questions, and its INDEX_HASH differs.
 */
class GoldSetRetrievalTest {
    static final int K = 10;
    static final int DUALHOME_K = 5;
    static Corpus corpus;
    static GoldSet gold;
    static VectorIndex correct;
    static VectorIndex skewed;

    @BeforeAll
    static void build() {
        corpus = Corpus.bundled();
        gold = GoldSet.bundled();
        IndexArtifact standard = IndexArtifact.standard(corpus, 0);
        correct = new VectorIndex(corpus, standard, Embedder.shared());
        skewed = new VectorIndex(corpus, standard.withTruncatingTokenizer(5), Embedder.shared());
    }

    record Probe(String id, double deltaS, String lambda, double coverage, List<String> topIds) {
    }

    static Probe probe(VectorIndex index, GoldSet.Question q) {
        List<List<String>> citations = new ArrayList<>();
        List<VectorIndex.Hit> first = null;
        for (String phrasing : q.phrasings()) {
            List<VectorIndex.Hit> hits = index.search(phrasing, K);
            first = first == null ? hits : first;
            citations.add(hits.stream().map(VectorIndex.Hit::snippetId).toList());
        }
        return new Probe(q.questionId(), RagMeasures.deltaS(Embedder.shared(), q.question(), first.get(0).text()),
                RagMeasures.lambda(citations), RagMeasures.coverage(corpus, q.gold(), first), citations.get(0));
    }

    @Test
    void theCorpusHasAFewHundredSnippetsAndTheGoldSetThirtyQuestionsWithThreeParaphrases() {
        assertThat(corpus.passages()).hasSizeBetween(200, 400);
        assertThat(gold.questions()).hasSize(30).allSatisfy(q -> {
            assertThat(q.paraphrases()).hasSize(3);
            q.gold().forEach(id -> assertThat(corpus.get(id)).as(id).isNotNull());
        });
    }

    @Test
    void withTheCorrectIndexEveryGoldQuestionIsWithinTargetAndConvergent() {
        for (GoldSet.Question q : gold.questions()) {
            Probe p = probe(correct, q);
            assertThat(p.deltaS()).as("ΔS of %s (%s)", q.questionId(), q.question()).isLessThanOrEqualTo(0.45);
            assertThat(p.lambda()).as("λ of %s", q.questionId()).isEqualTo("convergent");
            assertThat(p.coverage()).as("coverage of %s", q.questionId()).isGreaterThanOrEqualTo(0.70);
            assertThat(p.topIds().get(0)).as("top-1 of %s", q.questionId()).isEqualTo(q.gold().get(0));
        }
    }

    @Test
    void withAnIndexSkewedFollowerMostQuestionsCrossTheRiskLineOrLoseParity() {
        assertThat(skewed.artifact().indexHash()).isNotEqualTo(correct.artifact().indexHash());
        int riskOrParity = 0;
        int coverageLost = 0;
        for (GoldSet.Question q : gold.questions()) {
            Probe good = probe(correct, q);
            Probe bad = probe(skewed, q);
            if (bad.deltaS() >= 0.60 || RagMeasures.jaccard(good.topIds(), bad.topIds(), DUALHOME_K) < 0.6) {
                riskOrParity++;
            }
            if (bad.coverage() < 0.70) {
                coverageLost++;
            }
        }
        assertThat(riskOrParity).as("questions over delta_s_risk or without dual-home parity")
                .isGreaterThan(gold.questions().size() / 2);
        assertThat(coverageLost).as("questions under coverage_min").isGreaterThan(gold.questions().size() / 2);
    }

    @Test
    void lambdaFollowsItsDefinition() {
        assertThat(RagMeasures.lambda(List.of(List.of("a", "b"), List.of("a", "c"), List.of("a"), List.of("a", "x"))))
                .isEqualTo("convergent");
        assertThat(RagMeasures.lambda(List.of(List.of("a", "b"), List.of("b", "a"), List.of("a", "b"), List.of("c", "b"))))
                .isEqualTo("divergent");
        assertThat(RagMeasures.lambda(List.of(List.of("a", "b"), List.of("b", "c"), List.of("c", "a"), List.of("a", "d"))))
                .isEqualTo("recursive");
        assertThat(RagMeasures.lambda(List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d"))))
                .isEqualTo("chaotic");
        assertThat(RagMeasures.jaccard(List.of("a", "b", "c"), List.of("a", "b", "d"), 3)).isEqualTo(0.5);
    }
}

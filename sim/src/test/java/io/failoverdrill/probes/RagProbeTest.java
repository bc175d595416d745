package io.failoverdrill.probes;

import io.failoverdrill.rag.GoldSet;
import io.failoverdrill.rag.IndexArtifact;
import io.failoverdrill.rag.RagMeasures;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.sim.RegionProfile;
import io.failoverdrill.sim.RetrievalIndexes;
import io.failoverdrill.sim.SimRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The RAG probe over real HTTP against two simulated regions that index the committed corpus with the real
 * embedding model: the correct region answers every gold question within ΔS 0.45 and convergently; the follower
 * rebuilt with a wrongly configured tokenizer (the index-skew fault, set through the admin API) loses dual-home
 * parity or crosses the risk line on most questions, and reports a different INDEX_HASH.
 */
class RagProbeTest {
    static final int K = 10;
    static final int DUALHOME_K = 5;
    static SimRegion home;
    static SimRegion follower;

    @BeforeAll
    static void start() throws Exception {
        IndexArtifact artifact = RetrievalIndexes.standard(0);
        home = new SimRegion(new RegionProfile("us-east", 5, 0.1, 0, 0, 1), artifact);
        follower = new SimRegion(new RegionProfile("eu-west", 5, 0.1, 0, 0, 2), artifact);
        var http = java.net.http.HttpClient.newHttpClient();
        var resp = http.send(java.net.http.HttpRequest.newBuilder(follower.baseUri().resolve("/admin/fault?index_skew=true"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        home.close();
        follower.close();
    }

    static RagProbe probe(SimRegion r, List<TelemetryEvent> sink) {
        return new RagProbe(r.name(), r.baseUri().resolve("/retrieve"), "probe-rag", GoldSet.bundled(),
                RetrievalIndexes.corpus(), K, Duration.ofSeconds(10), sink::add);
    }

    @Test
    void theCorrectRegionAnswersEveryGoldQuestionWithinTargetAndConvergently() {
        try (RagProbe p = probe(home, new CopyOnWriteArrayList<>())) {
            for (GoldSet.Question q : GoldSet.bundled().questions()) {
                Telemetry.RagProbe r = p.measure(q);
                assertThat(r.deltaS()).as("ΔS %s", q.questionId()).isLessThanOrEqualTo(0.45);
                assertThat(r.lambda()).as("λ %s", q.questionId()).isEqualTo("convergent");
                assertThat(r.coverage()).as("coverage %s", q.questionId()).isGreaterThanOrEqualTo(0.70);
                assertThat(r.topIds()).hasSize(K).startsWith(q.gold().get(0));
            }
        }
    }

    @Test
    void theSkewedFollowerLosesParityOrCrossesTheRiskLineOnMostQuestions() {
        assertThat(follower.index().indexHash()).isNotEqualTo(home.index().indexHash());
        assertThat(follower.index().analyzer()).isEqualTo("truncate-5");
        int broken = 0;
        try (RagProbe h = probe(home, new CopyOnWriteArrayList<>()); RagProbe f = probe(follower, new CopyOnWriteArrayList<>())) {
            for (GoldSet.Question q : GoldSet.bundled().questions()) {
                Telemetry.RagProbe a = h.measure(q);
                Telemetry.RagProbe b = f.measure(q);
                if (b.deltaS() >= 0.60 || RagMeasures.jaccard(a.topIds(), b.topIds(), DUALHOME_K) < 0.6) {
                    broken++;
                }
            }
        }
        assertThat(broken).isGreaterThan(GoldSet.bundled().questions().size() / 2);
    }

    @Test
    void runningItPublishesValidRagProbeEvents() {
        List<TelemetryEvent> seen = new CopyOnWriteArrayList<>();
        try (RagProbe p = probe(home, seen)) {
            p.start(Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 10);
        }
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.region()).isEqualTo("us-east");
            assertThat(e.payload()).isInstanceOf(Telemetry.RagProbe.class);
            // what goes on the wire decodes under the contract
            assertThat(io.failoverdrill.schemas.Codec.decodeInput(io.failoverdrill.schemas.Codec.encode(e))).isEqualTo(e);
        });
        assertThat(seen.stream().map(e -> ((Telemetry.RagProbe) e.payload()).questionId()).distinct().count()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void aBlackholedRegionPublishesNoRagProbe() {
        SimRegion dark = new SimRegion(new RegionProfile("ap-south", 5, 0.1, 0, 0, 3), RetrievalIndexes.standard(0));
        dark.setFaults(dark.faults().withBlackhole(true));
        try (RagProbe p = probe(dark, new CopyOnWriteArrayList<>())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.measure(GoldSet.bundled().questions().get(0)))
                    .hasMessageContaining("connect");
        } finally {
            dark.close();
        }
    }

}

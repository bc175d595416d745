package io.failoverdrill.probes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.failoverdrill.rag.Corpus;
import io.failoverdrill.rag.Embedder;
import io.failoverdrill.rag.GoldSet;
import io.failoverdrill.rag.RagMeasures;
import io.failoverdrill.rag.VectorIndex;
import io.failoverdrill.schemas.Sha256;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RAG probe of one region: asks the region's retrieval endpoint ({@code GET …?q=TEXT&k=K}, answering
 * {@code {"hits":[{"snippet_id","text","score"}]}}) each gold question and its three paraphrases, and publishes one
 * {@code rag_probe} event per question with ΔS, λ, coverage and the top-k snippet ids (the engine compares those
 * across regions for dual-home parity) — measures as defined in {@link RagMeasures}, embeddings computed here with
 * the same all-MiniLM-L6-v2 model. Questions are asked round-robin, one every {@code period / questions}.
 * A question whose retrieval fails publishes nothing (the HTTP probe reports the failure).
 */
public final class RagProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String region;
    private final URI retrieveUri;
    private final String observer;
    private final GoldSet gold;
    private final Corpus corpus;
    private final int k;
    private final Duration timeout;
    private final TelemetrySink sink;
    private final PhasedHttp http = new PhasedHttp(null);
    private final ProbeClock clock = new ProbeClock();
    private final ScheduledExecutorService scheduler;
    private final AtomicLong seq = new AtomicLong();
    private final long started = System.nanoTime();

    public RagProbe(String region, URI retrieveUri, String observer, GoldSet gold, Corpus corpus, int k,
                    Duration timeout, TelemetrySink sink) {
        this.region = region;
        this.retrieveUri = retrieveUri;
        this.observer = observer;
        this.gold = gold;
        this.corpus = corpus;
        this.k = k;
        this.timeout = timeout;
        this.sink = sink;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rag-probe-" + observer + "-" + region);
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks every gold question once per {@code period}. */
    public void start(Duration period) {
        long every = Math.max(1, period.toMillis() / gold.questions().size());
        AtomicLong n = new AtomicLong();
        scheduler.scheduleAtFixedRate(() -> {
            GoldSet.Question q = gold.questions().get((int) (n.getAndIncrement() % gold.questions().size()));
            try {
                sink.publish(new TelemetryEvent(observer + "/" + region + "/rag/" + started + "-" + seq.incrementAndGet(),
                        region, observer, clock.nowMs(), null, measure(q)));
            } catch (RuntimeException e) {
                // retrieval failed: nothing to publish for this question this round
            }
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    /** One measurement of {@code q} against the region (blocking). */
    public Telemetry.RagProbe measure(GoldSet.Question q) {
        List<List<String>> citations = new ArrayList<>();
        List<VectorIndex.Hit> first = null;
        for (String phrasing : q.phrasings()) {
            List<VectorIndex.Hit> hits = retrieve(phrasing);
            first = first == null ? hits : first;
            citations.add(hits.stream().map(VectorIndex.Hit::snippetId).toList());
        }
        if (first.isEmpty()) {
            return new Telemetry.RagProbe(q.questionId(), 1.0, "chaotic", 0.0, List.of(), null);
        }
        double deltaS = RagMeasures.deltaS(Embedder.shared(), q.question(), first.get(0).text());
        return new Telemetry.RagProbe(q.questionId(), Math.round(deltaS * 10_000) / 10_000.0,
                RagMeasures.lambda(citations), Math.round(RagMeasures.coverage(corpus, q.gold(), first) * 10_000) / 10_000.0,
                citations.get(0), Sha256.hex(first.get(0).snippetId() + "\n" + first.get(0).text()));
    }

    private List<VectorIndex.Hit> retrieve(String text) {
        URI uri = URI.create(retrieveUri + "?q=" + URLEncoder.encode(text, StandardCharsets.UTF_8) + "&k=" + k);
        PhasedHttp.Result r = http.get(uri, timeout, Map.of());
        if (r.failure() != null || r.status() != 200) {
            throw new IllegalStateException(uri + ": " + (r.failure() != null ? r.failure() + " " + r.detail() : "HTTP " + r.status()));
        }
        try {
            List<VectorIndex.Hit> hits = new ArrayList<>();
            for (JsonNode h : JSON.readTree(r.body()).path("hits")) {
                hits.add(new VectorIndex.Hit(h.path("snippet_id").asText(), h.path("text").asText(), h.path("score").asDouble()));
            }
            return hits;
        } catch (IOException e) {
            throw new IllegalStateException(uri + " sent invalid JSON", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

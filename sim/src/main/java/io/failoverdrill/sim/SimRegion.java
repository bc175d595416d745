package io.failoverdrill.sim;

import io.failoverdrill.probes.AppTelemetry;

import io.failoverdrill.rag.IndexArtifact;
import io.failoverdrill.rag.VectorIndex;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A simulated region: a real HTTP server on loopback. Endpoints: {@code GET /api?key=K} (the service; latency and
 * errors per {@link RegionProfile} and {@link Faults}), {@code GET /health}, {@code GET /index/meta},
 * {@code GET /cache}, {@code GET /backlog}, {@code POST /write?id=W}, {@code GET /retrieve?q=&k=} (retrieval over the bundled corpus with real embeddings), and {@code POST /admin/fault?...} for fault
 * injection over HTTP. Nothing here fakes a measurement: probes time real responses.
 */
public final class SimRegion implements AutoCloseable {
    static {
        // without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
        // a 40 ms stall per response that would be measured as region latency
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final RegionProfile profile;
    private final HttpServer server;
    private final ExecutorService workers;
    private final SplittableRandom random;
    private final AtomicInteger inflight = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final WriteLedger ledger = new WriteLedger();
    private final HotCache cache;
    private volatile Faults faults = Faults.NONE;
    private volatile IndexArtifact index;
    private volatile Map<String, SimRegion> peers = Map.of();
    private volatile AppTelemetry events = AppTelemetry.discarding();
    private volatile long loseForwardedWrite = -1;
    private volatile boolean staleKeys;
    private volatile Integer concurrencyLimit;
    private volatile Integer retrievalKCap;
    private volatile boolean dualAccept;
    /** The stick region every response announces (header {@code X-Stick-Region}) until {@link #stickUntilMs}. */
    private volatile String stickRegion;
    private volatile long stickUntilMs;
    /** Negative control: never announce the stick region. */
    private volatile boolean silentStick;
    /** The key id every caller holds; a region with stale keys accepts only its own region-pinned one. */
    public static final String GLOBAL_KEY_ID = "global-1";
    private final java.util.concurrent.atomic.AtomicLong forwarded = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Negative control: the {@code n}-th write this follower forwards from now on is acknowledged but never reaches
     * the writer.
     */
    public void loseForwardedWrite(long n) {
        this.loseForwardedWrite = forwarded.get() + n;
    }

    public SimRegion(RegionProfile profile, IndexArtifact index) {
        this(profile, index, new InetSocketAddress("127.0.0.1", 0));
    }

    /** A region listening on {@code bind} (e.g. {@code 0.0.0.0:8080} in a container). */
    public SimRegion(RegionProfile profile, IndexArtifact index, InetSocketAddress bind) {
        this.profile = profile;
        this.index = index;
        this.random = new SplittableRandom(profile.seed());
        this.cache = new HotCache(IntStream.range(0, 20).mapToObj(i -> "k" + i).collect(Collectors.toSet()), 200);
        this.workers = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "sim-" + profile.name());
            t.setDaemon(true);
            return t;
        });
        try {
            this.server = HttpServer.create(bind, 256);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + bind + " for region " + profile.name() + ": " + e.getMessage(), e);
        }
        server.setExecutor(workers);
        server.createContext("/api", this::api);
        server.createContext("/health", ex -> json(ex, 200, Map.of("ready", !faults.blackhole())));
        server.createContext("/index/meta", this::indexMeta);
        server.createContext("/cache", ex -> json(ex, 200, Map.of("hit_ratio", cache.hitRatio(),
                "hot_keys_present", cache.hotKeysPresent())));
        server.createContext("/backlog", ex -> json(ex, 200, Map.of("queue", "writes", "length", ledger.queueLength(),
                "oldest_age_ms", ledger.oldestQueuedAgeMs(System.currentTimeMillis()))));
        server.createContext("/write", this::write);
        server.createContext("/retrieve", this::retrieve);
        server.createContext("/admin/fault", this::adminFault);
        server.start();
    }

    public String name() {
        return profile.name();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:40123}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public Faults faults() {
        return faults;
    }

    /**
     * Announces {@code region} as the stick region in every response (header {@code X-Stick-Region}, seed runbook step 2)
     * until {@code untilMs} (wall clock), as a service tells its clients where their sessions stay.
     */
    public void announceStick(String region, long untilMs) {
        stickUntilMs = untilMs;
        stickRegion = silentStick ? null : region;
    }


    /** Negative control: the service never announces the stick region (its responses lack {@code X-Stick-Region}). */
    public void breakStickAnnouncement() {
        silentStick = true;
        stickRegion = null;
    }

    public void setFaults(Faults f) {
        this.faults = f;
    }

    public WriteLedger ledger() {
        return ledger;
    }

    public HotCache cache() {
        return cache;
    }

    public IndexArtifact index() {
        return index;
    }

    /** Where this region reports its write-ledger transitions. */
    public void setEvents(AppTelemetry events) {
        this.events = events;
    }

    /** The other regions, so that a follower can forward a write to the writer. */
    public void setPeers(Map<String, SimRegion> all) {
        this.peers = Map.copyOf(all);
    }

    /**
     * A clamp: above {@code concurrencyLimit} requests in flight, {@code /api} sheds load (503 {@code clamped})
     * instead of slowing everyone down; {@code /retrieve} returns at most {@code retrievalK} snippets. Nulls release.
     */
    public void clamp(Integer concurrencyLimit, Integer retrievalK) {
        this.concurrencyLimit = concurrencyLimit;
        this.retrievalKCap = retrievalK;
    }

    public void rebuildIndex(IndexArtifact artifact) {
        this.index = artifact;
    }

    /** Requests answered on {@code /api} so far. */
    public long served() {
        return served.get();
    }

    private void api(HttpExchange ex) throws IOException {
        Faults f = faults;
        if (f.blackhole()) {
            ex.close(); // drop the connection without an answer
            return;
        }
        ex.getResponseHeaders().add("X-Region", profile.name()); // which region answered, behind a load balancer
        int concurrent = inflight.incrementAndGet();
        try {
            Integer limit = concurrencyLimit;
            if (limit != null && concurrent > limit) {
                served.incrementAndGet();
                json(ex, 503, Map.of("error", "clamped", "concurrency_limit", limit));
                return;
            }
            double u;
            double z;
            boolean cold;
            synchronized (random) {
                u = random.nextDouble();
                z = random.nextGaussian();
                cold = random.nextDouble() < f.coldShare();
            }
            double latency = profile.medianMs() * Math.exp(profile.sigma() * z)
                    + f.addedLatencyMs() + (concurrent - 1) * profile.msPerInflight()
                    + (cold ? f.coldExtraMs() : 0);
            sleep(latency);
            String kid = java.util.Objects.requireNonNullElse(ex.getRequestHeaders().getFirst("X-Key-Id"), GLOBAL_KEY_ID);
            if (staleKeys && !dualAccept && !kid.equals(profile.name() + "-1")) {
                served.incrementAndGet();
                json(ex, 401, Map.of("error", "unknown_kid", "kid", kid));
                return;
            }
            String key = query(ex.getRequestURI(), "key");
            boolean hit = key != null && cache.lookup(key);
            served.incrementAndGet();
            if (cold) {
                ex.getResponseHeaders().add("X-Cold", "true");
            }
            String stick = stickRegion;
            if (stick != null && System.currentTimeMillis() < stickUntilMs) {
                ex.getResponseHeaders().add("X-Stick-Region", stick);
            }
            if (u < Math.max(profile.errorRate(), f.errorRate())) {
                json(ex, 503, Map.of("error", "unavailable"));
            } else {
                json(ex, 200, Map.of("region", profile.name(), "cache", hit ? "hit" : "miss"));
            }
        } finally {
            inflight.decrementAndGet();
        }
    }

    /**
     * {@code GET /retrieve?q=TEXT&k=10}: the top-k snippets of this region's current index build, with the
     * INDEX_HASH they came from. Blackhole drops the connection; a brownout delays the answer.
     */
    private void retrieve(HttpExchange ex) throws IOException {
        Faults f = faults;
        if (f.blackhole()) {
            ex.close();
            return;
        }
        String q = query(ex.getRequestURI(), "q");
        int k;
        try {
            k = Integer.parseInt(java.util.Objects.requireNonNullElse(query(ex.getRequestURI(), "k"), "10"));
        } catch (NumberFormatException e) {
            k = -1;
        }
        if (q == null || q.isBlank() || k < 1 || k > 100) {
            json(ex, 400, Map.of("error", "GET /retrieve?q=TEXT&k=1..100"));
            return;
        }
        sleep(f.addedLatencyMs());
        Integer cap = retrievalKCap;
        if (cap != null) {
            k = Math.min(k, cap);
        }
        IndexArtifact a = index;
        List<Map<String, Object>> hits = new java.util.ArrayList<>();
        for (VectorIndex.Hit h : RetrievalIndexes.of(a).search(q, k)) {
            hits.add(Map.of("snippet_id", h.snippetId(), "text", h.text(), "score", Math.round(h.score() * 1e6) / 1e6));
        }
        ex.getResponseHeaders().add("X-Index-Hash", a.indexHash());
        json(ex, 200, Map.of("index_hash", a.indexHash(), "hits", hits));
    }

    private void indexMeta(HttpExchange ex) throws IOException {
        IndexArtifact a = index;
        Map<String, Object> m = new TreeMap<>();
        m.put("index_hash", a.indexHash());
        m.put("metric", a.metric());
        m.put("analyzer", a.analyzer());
        m.put("build_ts_ms", a.buildTsMs());
        m.put("embed_model", a.modelId());
        m.put("contract_fields", List.of("doc_id", "section_id", "snippet_id", "index_hash", "embed_model", "analyzer"));
        json(ex, 200, m);
    }

    private void write(HttpExchange ex) throws IOException {
        if (faults.blackhole()) {
            ex.close(); // no answer, so the write is never acknowledged
            return;
        }
        ex.getResponseHeaders().add("X-Region", profile.name()); // which region took it, behind a load balancer
        String id = query(ex.getRequestURI(), "id");
        if (id == null || !"POST".equals(ex.getRequestMethod())) {
            json(ex, 400, Map.of("error", "POST /write?id=W"));
            return;
        }
        long now = System.currentTimeMillis();
        WriteLedger.Outcome o = ledger.write(id, now);
        String appliedBy = profile.name();
        if (o == WriteLedger.Outcome.NOT_WRITER) {
            // a follower forwards to the one writer (if there is exactly one)
            List<SimRegion> writers = peers.values().stream().filter(p -> p != this && p.ledger.isWriter()).toList();
            if (writers.size() == 1 && forwarded.incrementAndGet() == loseForwardedWrite) {
                events.write(profile.name(), id, "acked", profile.name()); // acked to the client, then lost
                json(ex, 200, Map.of("write_id", id, "outcome", "applied"));
                return;
            }
            if (writers.size() == 1) {
                o = writers.get(0).ledger.write(id, now);
                appliedBy = writers.get(0).name();
            } else if (writers.isEmpty() && ledger.enqueue(id, now)) {
                o = WriteLedger.Outcome.ENQUEUED; // mid-cutover: nobody writes yet, so accept and queue
            }
        }
        if (o == WriteLedger.Outcome.APPLIED || o == WriteLedger.Outcome.ENQUEUED) {
            events.write(profile.name(), id, "acked", profile.name());
            events.write(profile.name(), id, o == WriteLedger.Outcome.APPLIED ? "applied" : "enqueued", appliedBy);
        }
        if (o == WriteLedger.Outcome.ENQUEUED) {
            relayQueueToWriter();
        }
        int status = switch (o) {
            case APPLIED, DUPLICATE -> 200;
            case ENQUEUED -> 202;
            case NOT_WRITER -> 409;
        };
        json(ex, status, Map.of("write_id", id, "outcome", o.name().toLowerCase(Locale.ROOT)));
    }

    /**
     * {@code POST /admin/fault?brownout_ms=200&blackhole=false&error_rate=0.1&cold_share=0.3&cold_ms=400
     * &index_skew=true&stale_keys=true&dual_accept=true&clear=true}. {@code index_skew} rebuilds the index with a
     * truncating tokenizer (INDEX_HASH changes; repaired by a {@code rebuild_index} command); {@code stale_keys}
     * makes the region accept only its region-pinned key id, so callers with the global key get 401 until
     * {@code dual_accept} (old and new key ids both accepted) is switched on.
     */
    private void adminFault(HttpExchange ex) throws IOException {
        URI u = ex.getRequestURI();
        Faults f = "true".equals(query(u, "clear")) ? Faults.NONE : faults;
        try {
            if (query(u, "brownout_ms") != null) {
                f = f.withBrownout(Double.parseDouble(query(u, "brownout_ms")));
            }
            if (query(u, "blackhole") != null) {
                f = f.withBlackhole(Boolean.parseBoolean(query(u, "blackhole")));
            }
            if (query(u, "error_rate") != null) {
                f = f.withErrorRate(Double.parseDouble(query(u, "error_rate")));
            }
            if ("true".equals(query(u, "index_skew"))) {
                index = index.withTruncatingTokenizer(5); // a rebuild with a wrongly configured tokenizer
            }
            if (query(u, "stale_keys") != null) {
                staleKeys = Boolean.parseBoolean(query(u, "stale_keys"));
            }
            if (query(u, "dual_accept") != null) {
                dualAccept = Boolean.parseBoolean(query(u, "dual_accept"));
            }
            if (query(u, "cold_share") != null) {
                f = f.withColdStorm(Double.parseDouble(query(u, "cold_share")),
                        Double.parseDouble(query(u, "cold_ms") == null ? "0" : query(u, "cold_ms")));
            }
        } catch (NumberFormatException e) {
            json(ex, 400, Map.of("error", "bad number: " + e.getMessage()));
            return;
        }
        faults = f;
        json(ex, 200, Map.of("brownout_ms", f.addedLatencyMs(), "blackhole", f.blackhole(),
                "error_rate", f.errorRate(), "cold_share", f.coldShare(), "index_hash", index.indexHash(),
                "stale_keys", staleKeys, "dual_accept", dualAccept));
    }

    /** A frozen region relays its queue to the one writer, if there is exactly one (outbox delivery). */
    private void relayQueueToWriter() {
        List<SimRegion> writers = peers.values().stream().filter(p -> p != this && p.ledger.isWriter()).toList();
        if (writers.size() == 1) {
            writers.get(0).replayFrom(List.of(this));
        }
    }

    /** Replays the queues of {@code others} (this region's own included, if listed) into this writer region. */
    public int replayFrom(Iterable<SimRegion> others) {
        int n = 0;
        long now = System.currentTimeMillis();
        for (SimRegion other : others) {
            Queue<String> q = other.ledger.drainQueue();
            for (String id : q) {
                if (ledger.replay(id, now)) {
                    events.write(profile.name(), id, "applied", profile.name());
                    n++;
                }
            }
        }
        return n;
    }

    static String query(URI uri, String name) {
        String q = uri.getRawQuery();
        if (q == null) {
            return null;
        }
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void sleep(double ms) {
        try {
            TimeUnit.MICROSECONDS.sleep((long) (ms * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void json(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = io.failoverdrill.schemas.CanonicalJson.string(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}

package io.failoverdrill.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Synthetic user traffic routed by weight, with sticky sessions: {@code rps} requests per second from
 * {@code sessions} concurrent sessions, each pinned to a region drawn by the current weights for its life (4–12
 * requests; then a new session starts); when the weights change, sessions of regions that lost share are re-pinned in
 * proportion ({@link #setWeights}), unless a {@link #stick stick} holds them. Every tenth request is a write.
 * <p>{@link #throughBalancer Through a load balancer} (a real HAProxy) the router chooses nothing: every request goes
 * to the balancer's frontend with its session's {@code X-Session} id (a new id when a session ends), the balancer picks
 * the region, and the region is counted from the answer's {@code X-Region} header.
 */
public final class WeightedRouter implements AutoCloseable {
    private final Map<String, SimRegion> regions;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final SplittableRandom random;
    private final double rps;
    private final String[] pins;
    /** Requests each session still makes before it ends (4–12 per session). */
    private final int[] requestsLeft;
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> writeOutcomes = new ConcurrentHashMap<>();
    private volatile SortedMap<String, Integer> weights;
    private volatile String stickRegion;
    private volatile long stickUntilMs;
    private long seq;
    private volatile boolean staleClients;
    /** The balancer's frontend (null: the router routes by its own weights). */
    private final URI front;
    /** Each region's own address behind the balancer: where stale clients go once they have learnt their region. */
    private final Map<String, URI> direct;
    /** A session slot's current session number (its {@code X-Session} changes when a session ends). */
    private final int[] generation;

    /** Negative control: sessions keep their region whatever the weights say (stale DNS, hard-coded endpoints). */
    public void ignoreWeightChangesForPinnedSessions() {
        this.staleClients = true;
    }

    public WeightedRouter(Map<String, SimRegion> regions, Map<String, Integer> weights, double rps, int sessions, long seed) {
        this(regions, weights, rps, sessions, seed, null, Map.of());
    }

    /**
     * User traffic through a load balancer at {@code front}, which alone decides where each request goes;
     * {@code regionFronts}: each region's own address (through the balancer), used only by stale clients.
     */
    public static WeightedRouter throughBalancer(Map<String, SimRegion> regions, URI front, Map<String, URI> regionFronts,
                                                 double rps, int sessions, long seed) {
        return new WeightedRouter(regions, Map.of(), rps, sessions, seed, front, regionFronts);
    }

    private WeightedRouter(Map<String, SimRegion> regions, Map<String, Integer> weights, double rps, int sessions, long seed,
                           URI front, Map<String, URI> direct) {
        this.front = front;
        this.direct = Map.copyOf(direct);
        this.generation = new int[sessions];
        this.regions = new LinkedHashMap<>(regions);
        this.weights = new TreeMap<>(weights);
        this.rps = rps;
        this.pins = new String[sessions];
        this.requestsLeft = new int[sessions];
        this.random = new SplittableRandom(seed);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-router");
            t.setDaemon(true);
            return t;
        });
        regions.keySet().forEach(r -> sent.put(r, new AtomicLong()));
    }

    public void start() {
        long periodMicros = (long) (1_000_000 / rps);
        scheduler.scheduleAtFixedRate(this::sendOne, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /**
     * New weights. A session pinned to a region whose share fell from {@code old} to {@code now} is released with
     * probability 1 − now/old (all of them when it fell to 0) and re-pinned by the new weights on its next request,
     * so the sessions follow the weights both ways (a gradual return home moves users back) — except sessions of a
     * region under {@code stick}, and except when clients ignore weight changes (negative control).
     */
    public synchronized void setWeights(Map<String, Integer> newWeights) {
        Map<String, Integer> old = weights;
        this.weights = new TreeMap<>(newWeights);
        for (int i = 0; i < pins.length && !staleClients; i++) {
            if (pins[i] == null || stuck(pins[i])) {
                continue;
            }
            int before = old.getOrDefault(pins[i], 0);
            int now = newWeights.getOrDefault(pins[i], 0);
            if (now == 0 || (now < before && random.nextDouble() >= (double) now / before)) {
                pins[i] = null;
            }
        }
    }

    /** Keeps sessions on {@code region} for {@code minutes}, whatever the weights do; every region's responses say so. */
    public synchronized void stick(String region, int minutes) {
        stickRegion = region;
        stickUntilMs = System.currentTimeMillis() + minutes * 60_000L;
        regions.values().forEach(r -> r.announceStick(region, stickUntilMs));
    }

    public SortedMap<String, Integer> weights() {
        return weights;
    }

    /** Requests sent to each region so far. */
    public Map<String, Long> sent() {
        Map<String, Long> m = new TreeMap<>();
        sent.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public Map<String, Long> writeOutcomes() {
        Map<String, Long> m = new TreeMap<>();
        writeOutcomes.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private boolean stuck(String region) {
        return region.equals(stickRegion) && System.currentTimeMillis() < stickUntilMs;
    }

    private synchronized String route(int session) {
        if (front != null) {
            if (--requestsLeft[session] <= 0 && !(staleClients && pins[session] != null)) {
                generation[session]++; // a new session: the balancer places it by its weights
                requestsLeft[session] = 4 + random.nextInt(9);
            }
            return pins[session]; // null: not yet known (the balancer chooses)
        }
        if (pins[session] != null && !staleClients && --requestsLeft[session] <= 0) {
            pins[session] = null; // the user's session ended; a new one starts, drawn by the current weights
        }
        if (pins[session] == null) {
            pins[session] = draw();
            requestsLeft[session] = 4 + random.nextInt(9);
        }
        return pins[session];
    }

    private String draw() {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int x = random.nextInt(Math.max(total, 1));
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            x -= e.getValue();
            if (x < 0) {
                return e.getKey();
            }
        }
        return weights.firstKey();
    }

    private void sendOne() {
        long n;
        int session;
        synchronized (this) {
            n = seq++;
            session = random.nextInt(pins.length);
        }
        String region = route(session);
        URI base;
        if (front == null) {
            SimRegion target = regions.get(region);
            if (target == null) {
                return;
            }
            sent.get(region).incrementAndGet();
            base = target.baseUri();
        } else {
            base = region == null ? front : direct.get(region);
        }
        boolean write = n % 10 == 9;
        URI uri = base.resolve(write ? "/write?id=w-" + n : "/api?key=k" + (n % 40));
        String sessionId = front == null ? "s" + session : "s" + session + "-" + generation[session];
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).header("X-Session", sessionId);
        req = write ? req.POST(HttpRequest.BodyPublishers.noBody()) : req.GET();
        http.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            if (front != null && resp != null) {
                resp.headers().firstValue("X-Region").ifPresent(served -> servedBy(session, served));
            }
            if (write) {
                String outcome = err != null ? "error" : switch (resp.statusCode()) {
                    case 200 -> "applied";
                    case 202 -> "enqueued";
                    case 409 -> "not_writer";
                    default -> "status_" + resp.statusCode();
                };
                writeOutcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
            }
        });
    }

    /** Through a balancer: counts where it sent the request; a stale client remembers the region from now on. */
    private void servedBy(int session, String region) {
        sent.computeIfAbsent(region, k -> new AtomicLong()).incrementAndGet();
        synchronized (this) {
            if (staleClients && pins[session] == null && direct.containsKey(region)) {
                pins[session] = region;
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}

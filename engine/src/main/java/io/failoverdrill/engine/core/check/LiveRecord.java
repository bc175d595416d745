package io.failoverdrill.engine.core.check;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.failoverdrill.engine.core.signal.ErrorStats;
import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.RagView;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.engine.core.signal.Sketches;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the drill saw while it ran, from its start, for the live checks and acceptance targets: each serving region's
 * worst p95, the worst error rate, backlog age and ΔS while observing, chaotic λ answers, INDEX_HASH parity across
 * serving regions, the longest run of failing seconds, the SLO's error budget spent, the backlog drain, auth
 * failures and cold starts on the regions serving after the route flip. Fed on whole seconds of event time;
 * bounded memory (sketches and counters per region).
 */
public final class LiveRecord {
    private final Map<String, Double> worstP95 = new TreeMap<>();
    private final java.util.Set<String> observedRegions = new java.util.TreeSet<>();
    private long requestSeconds;
    private long requests;
    private long budgetFailures;
    private long requestsAfterFlip;
    private final Map<String, long[]> coldByRegion = new TreeMap<>(); // region → {cold, requests} after the flip
    private double worstErrorRate = Double.NaN;
    private Map<String, Object> errorsByClass = Map.of();
    private double worstBacklogAgeMs = -1;
    private final DDSketch backlogAgeMs = Sketches.newLatencySketch();
    private final DDSketch backlogLength = Sketches.newLatencySketch();
    private double worstDeltaS = Double.NaN;
    private long chaotic;
    private long lambdaSamples;
    private boolean parityBroken;
    private boolean indexSeen;
    private long burstS;
    private long longestBurstS;
    private long backlogBaseline = -1;
    private boolean backlogSeen;
    private long backlogDrainedMs = Long.MIN_VALUE;
    private long authAfterFlip;
    private final DDSketch coldLatency = Sketches.newLatencySketch();
    private final Map<String, Object> clampLog = new TreeMap<>();

    /**
     * Sealed second {@code sec} while the drill runs: a second with a user-visible failure share over
     * {@code errorRateLimit} on any serving region extends the current burst; requests and budget failures count
     * for the SLO; auth failures and cold requests count on the serving regions after the route flip.
     */
    public void sealedSecond(long sec, Map<String, RegionSignals> regions, Set<String> served, double errorRateLimit,
                             Milestones milestones) {
        boolean bad = false;
        boolean any = false;
        boolean afterFlip = sec * 1000 >= milestones.flipMs();
        for (String r : served) {
            RegionSignals s = regions.get(r);
            long[] badTotal = s.badAndTotal(sec);
            any |= badTotal[1] > 0;
            bad |= badTotal[1] > 0 && (double) badTotal[0] / badTotal[1] > errorRateLimit;
            requests += badTotal[1];
            budgetFailures += s.budgetFailures(sec);
            if (afterFlip) {
                authAfterFlip += s.authFailures(sec);
                requestsAfterFlip += badTotal[1];
                long[] cold = s.coldAndTotal(sec);
                long[] c = coldByRegion.computeIfAbsent(r, k -> new long[2]);
                c[0] += cold[0];
                c[1] += cold[1];
                s.mergeSecondInto(sec, true, coldLatency);
            }
        }
        if (any) {
            requestSeconds++;
        }
        burstS = bad ? burstS + 1 : 0;
        longestBurstS = Math.max(longestBurstS, burstS);
    }

    /** One observed second of a serving region: its window p95 and errors, and its backlog. */
    public void servingRegion(LatencyStats p95Window, ErrorStats errors, RegionSignals region) {
        observedRegions.add(region.region());
        if (!p95Window.isEmpty()) {
            worstP95.merge(region.region(), p95Window.p95(), Math::max);
        }
        if (errors.requests() > 0 && (Double.isNaN(worstErrorRate) || errors.rate() > worstErrorRate)) {
            worstErrorRate = errors.rate();
            errorsByClass = errors.toEvidence();
        }
        double age = region.backlogOldestAgeMs();
        worstBacklogAgeMs = Math.max(worstBacklogAgeMs, age);
        if (age >= 0) {
            backlogAgeMs.accept(age);
            backlogLength.accept(region.backlogLength());
        }
    }

    /** The RAG probe set as of an observed second (serving regions only). */
    public void ragObserved(RagView rag) {
        if (rag.isEmpty()) {
            return;
        }
        double ds = rag.maxDeltaS();
        worstDeltaS = Double.isNaN(worstDeltaS) ? ds : Math.max(worstDeltaS, ds);
        Map<String, Long> lambdas = rag.lambdaCounts();
        chaotic += lambdas.getOrDefault("chaotic", 0L);
        lambdaSamples += lambdas.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The INDEX_HASH values the serving regions agree on at an observed second (empty: no data). */
    public void indexHashesObserved(Set<String> hashes) {
        indexSeen |= !hashes.isEmpty();
        parityBroken |= hashes.size() > 1;
    }

    public void clampIssued(String commandType) {
        clampLog.merge(commandType, 1L, (a, b) -> (Long) a + (Long) b);
    }

    /** The pre-drill backlog length (the largest over regions, -1 without data), fixed when the gate is taken. */
    public void backlogBaseline(long length) {
        backlogBaseline = length;
    }

    /** The backlog at tick {@code nowMs} (largest length over regions, -1 without data): drained yet? */
    public void backlogAt(long nowMs, long length, Milestones milestones) {
        if (length >= 0) {
            backlogSeen = true;
        }
        if (!milestones.evacuationStarted() || length < 0) {
            return;
        }
        boolean drained = length <= Math.max(0, backlogBaseline);
        if (drained && backlogDrainedMs == Long.MIN_VALUE) {
            backlogDrainedMs = nowMs;
        } else if (!drained) {
            backlogDrainedMs = Long.MIN_VALUE;
        }
    }

    /** Each region that served while observing, with its worst window p95 (absent: no latency seen). */
    public Map<String, Double> worstP95ByRegion() {
        return worstP95;
    }

    /** Regions that served traffic while the drill observed. */
    public Set<String> observedRegions() {
        return observedRegions;
    }

    /** Seconds, from the drill's start, with requests on a serving region. */
    public long requestSeconds() {
        return requestSeconds;
    }

    /** Requests on serving regions since the drill's start, and those spending the error budget. */
    public long requests() {
        return requests;
    }

    public long budgetFailures() {
        return budgetFailures;
    }

    public long requestsAfterFlip() {
        return requestsAfterFlip;
    }

    /** Per region serving after the route flip: {cold requests, requests}. */
    public Map<String, long[]> coldByRegion() {
        return coldByRegion;
    }

    public double worstErrorRate() {
        return worstErrorRate;
    }

    public Map<String, Object> worstErrorWindow() {
        return errorsByClass;
    }

    public double worstBacklogAgeMs() {
        return worstBacklogAgeMs;
    }

    public LatencyStats backlogAges() {
        return LatencyStats.of(backlogAgeMs);
    }

    public LatencyStats backlogLengths() {
        return LatencyStats.of(backlogLength);
    }

    public double worstDeltaS() {
        return worstDeltaS;
    }

    public long chaotic() {
        return chaotic;
    }

    public long lambdaSamples() {
        return lambdaSamples;
    }

    public boolean parityBroken() {
        return parityBroken;
    }

    public boolean indexSeen() {
        return indexSeen;
    }

    public long longestBurstS() {
        return longestBurstS;
    }

    public long backlogBaseline() {
        return backlogBaseline;
    }

    public boolean backlogSeen() {
        return backlogSeen;
    }

    /** When the backlog last drained to its pre-drill baseline (event time), or {@code Long.MIN_VALUE}. */
    public long backlogDrainedMs() {
        return backlogDrainedMs;
    }

    public long authAfterFlip() {
        return authAfterFlip;
    }


    public LatencyStats coldLatency() {
        return LatencyStats.of(coldLatency);
    }

    /** Clamp commands issued while observing, by type. */
    public Map<String, Object> clampLog() {
        return clampLog;
    }
}

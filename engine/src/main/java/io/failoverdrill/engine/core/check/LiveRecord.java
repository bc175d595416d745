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
 * What the drill saw while it ran, for the live checks and acceptance targets: the worst p95, error rate, backlog
 * age and ΔS while observing, chaotic λ answers, INDEX_HASH parity across serving regions, the longest run of
 * failing seconds, the backlog drain, auth failures after the route flip and cold starts after the promotion.
 * Fed on whole seconds of event time; bounded memory (sketches and counters).
 */
public final class LiveRecord {
    private double worstP95 = Double.NaN;
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
    private long coldAfterPromote;
    private long requestsAfterPromote;
    private final DDSketch coldLatency = Sketches.newLatencySketch();
    private final Map<String, Object> clampLog = new TreeMap<>();

    /**
     * Sealed second {@code sec} while the drill runs: a second with a user-visible failure share over
     * {@code errorRateLimit} on any serving region extends the current burst; auth failures count after the route
     * flip; cold requests on {@code survivor} count after the promotion.
     */
    public void sealedSecond(long sec, Map<String, RegionSignals> regions, Set<String> served, double errorRateLimit,
                             Milestones milestones, String survivor) {
        boolean bad = false;
        for (String r : served) {
            long[] badTotal = regions.get(r).badAndTotal(sec);
            bad |= badTotal[1] > 0 && (double) badTotal[0] / badTotal[1] > errorRateLimit;
            if (sec * 1000 >= milestones.flipMs()) {
                authAfterFlip += regions.get(r).authFailures(sec);
            }
        }
        burstS = bad ? burstS + 1 : 0;
        longestBurstS = Math.max(longestBurstS, burstS);
        if (sec * 1000 >= milestones.writerSinceMs()) {
            long[] cold = regions.get(survivor).coldAndTotal(sec);
            coldAfterPromote += cold[0];
            requestsAfterPromote += cold[1];
            regions.get(survivor).mergeSecondInto(sec, true, coldLatency);
        }
    }

    /** One observed second of a serving region: its window p95 and errors, and its backlog. */
    public void servingRegion(LatencyStats p95Window, ErrorStats errors, RegionSignals region) {
        if (!p95Window.isEmpty()) {
            worstP95 = Double.isNaN(worstP95) ? p95Window.p95() : Math.max(worstP95, p95Window.p95());
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

    public double worstP95() {
        return worstP95;
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

    public long coldAfterPromote() {
        return coldAfterPromote;
    }

    public long requestsAfterPromote() {
        return requestsAfterPromote;
    }

    public LatencyStats coldLatency() {
        return LatencyStats.of(coldLatency);
    }

    /** Clamp commands issued while observing, by type. */
    public Map<String, Object> clampLog() {
        return clampLog;
    }
}

package io.failoverdrill.schemas.plan;

import java.util.List;

/**
 * A drill plan (CONTRACTS.md §6): the seed's plan JSON plus optional additions, every addition defaulting to the
 * seed's numbers. Durations are in the unit their name says ({@code _s} seconds, {@code _ms} milliseconds).
 */
public record DrillPlan(String drillId, DrillType drillType, List<String> regions, String evacuate,
                        String promoteSurvivor, Routing routing, boolean freezeWritesOnFollowers, Checks checks,
                        RagProbe ragProbe, WebhookPolicy webhookPolicy, ReturnToHome returnToHome,
                        Acceptance acceptance, Detect detect, Clamp clamp, Timeline timeline,
                        long allowedLatenessMs) {

    public DrillPlan {
        regions = List.copyOf(regions);
    }

    /** The same plan under another drill id (e.g. one per demo run). */
    public DrillPlan withDrillId(String id) {
        return new DrillPlan(id, drillType, regions, evacuate, promoteSurvivor, routing, freezeWritesOnFollowers, checks,
                ragProbe, webhookPolicy, returnToHome, acceptance, detect, clamp, timeline, allowedLatenessMs);
    }

    /** Every region except the promoted survivor: the followers whose writes are frozen. */
    public List<String> followers() {
        return regions.stream().filter(r -> !r.equals(promoteSurvivor)).toList();
    }

    /**
     * Routing policy. {@code hysteresisS}: how long (event-time seconds) a condition must hold before it acts;
     * {@code stickMinutes}: how long routing may not flip back after a cutover.
     */
    public record Routing(String mode, int stickMinutes, int hysteresisS) {
    }

    /** Check names per stage, normalised to ASCII ({@code ΔS_probe} → {@code delta_s_probe}). */
    public record Checks(List<String> pre, List<String> live, List<String> post) {
        public Checks {
            pre = List.copyOf(pre);
            live = List.copyOf(live);
            post = List.copyOf(post);
        }
    }

    /** RAG probe settings: top-{@code k}, {@code dualhomeK} compared across regions, ΔS risk band, coverage floor. */
    public record RagProbe(int k, int dualhomeK, double deltaSRisk, double coverageMin) {
    }

    public record WebhookPolicy(String emitFrom, String dedupeKey) {
    }

    /** Return-to-home: rebuild the follower, purge its cache, then restore weights along {@code gradualWeights}. */
    public record ReturnToHome(boolean rebuildFollower, boolean purgeCache, List<Integer> gradualWeights) {
        public ReturnToHome {
            gradualWeights = List.copyOf(gradualWeights);
        }
    }

    /** Acceptance targets (seed defaults: 30 s, 60 s, 1.25×, 600 s, 0.45, 0.70). */
    public record Acceptance(double cutoverS, double max5xxBurstS, double p95RatioMax, double backlogDrainS,
                             double deltaSMax, double coverageMin) {
        public static final Acceptance SEED = new Acceptance(30, 60, 1.25, 600, 0.45, 0.70);
    }

    /**
     * Detection: sliding event-time window of {@code windowS} seconds; {@code p95Ms} the latency SLO (null = the
     * survivor's baseline p95 × {@code p95_ratio_max}); {@code errorRate} the error-rate threshold in [0, 1];
     * {@code quorum} observers (k of n) that must agree before a region is declared down.
     */
    public record Detect(int windowS, Double p95Ms, double errorRate, int quorum) {
        public static final Detect DEFAULT = new Detect(30, null, 0.05, 2);
    }

    /**
     * Clamp law (AIMD): start from {@code initialLimit}, multiply by {@code backoffRatio} on each clamp step, never
     * below {@code minLimit}; retrieval k is lowered towards {@code rag_probe.dualhome_k}.
     */
    public record Clamp(int initialLimit, int minLimit, double backoffRatio) {
        public static final Clamp DEFAULT = new Clamp(64, 4, 0.5);
    }

    /**
     * Phase lengths in event-time seconds: {@code baselineS} of pre-check data to establish the baseline,
     * {@code observeS} of observation after the cutover; an observer silent for {@code staleObserverS} leaves the
     * quorum and the watermark; a rebuilt index must show INDEX_HASH parity within {@code rebuildTimeoutS}.
     */
    public record Timeline(int baselineS, int observeS, int staleObserverS, int rebuildTimeoutS) {
        public static final Timeline DEFAULT = new Timeline(60, 120, 10, 600);
    }
}

package io.failoverdrill.schemas.plan;

import java.util.List;

/**
 * A drill plan (docs/contracts.md §6): the seed's plan JSON plus optional additions, every addition defaulting to the
 * seed's numbers. Durations are in the unit their name says ({@code _s} seconds, {@code _ms} milliseconds).
 *
 * @param demoNote what a shortened demo plan changed from the seed's numbers (shown in the report), or null
 * @param dryRun   decide and judge as usual, but send commands only where no actuator reads them
 * @param signers  who may send this drill's control events ({@code control.signers}); empty = anyone
 */
public record DrillPlan(String drillId, DrillType drillType, List<String> regions, String evacuate,
                        String promoteSurvivor, Routing routing, boolean freezeWritesOnFollowers, Checks checks,
                        RagProbe ragProbe, WebhookPolicy webhookPolicy, ReturnToHome returnToHome,
                        Acceptance acceptance, Detect detect, Clamp clamp, Timeline timeline,
                        long allowedLatenessMs, Slo slo, String demoNote, boolean dryRun, List<String> signers) {

    public DrillPlan {
        regions = List.copyOf(regions);
        signers = List.copyOf(signers);
    }

    /** The same plan under another drill id (e.g. one per demo run). */
    public DrillPlan withDrillId(String id) {
        return new DrillPlan(id, drillType, regions, evacuate, promoteSurvivor, routing, freezeWritesOnFollowers, checks,
                ragProbe, webhookPolicy, returnToHome, acceptance, detect, clamp, timeline, allowedLatenessMs, slo,
                demoNote, dryRun, signers);
    }

    /** This plan as a dry run: decided and judged as usual, its commands sent where no actuator reads them. */
    public DrillPlan asDryRun() {
        return new DrillPlan(drillId, drillType, regions, evacuate, promoteSurvivor, routing, freezeWritesOnFollowers, checks,
                ragProbe, webhookPolicy, returnToHome, acceptance, detect, clamp, timeline, allowedLatenessMs, slo,
                demoNote, true, signers);
    }

    /** Every region except the promoted survivor: the followers whose writes are frozen. */
    public List<String> followers() {
        return regions.stream().filter(r -> !r.equals(promoteSurvivor)).toList();
    }

    /** Whether the plan marks verdict {@code check} not applicable ({@code acceptance.not_applicable}). */
    public boolean notApplicable(String check) {
        return acceptance.notApplicable().contains(check);
    }

    /**
     * Routing policy. {@code mode}: how the evacuated region's share is given to the survivors ({@code latency} and
     * {@code weighted}: in proportion to their current weights; {@code failover}: all to the promoted survivor);
     * {@code hysteresisS}: how long (event-time seconds) a condition must hold before it acts; {@code stickMinutes}:
     * how long routing may not flip back after a cutover.
     */
    public record Routing(String mode, int stickMinutes, int hysteresisS) {
        public static final List<String> MODES = List.of("latency", "weighted", "failover");
    }

    /** Check names per stage, normalised to ASCII ({@code ΔS_probe} → {@code delta_s_probe}). */
    public record Checks(List<String> pre, List<String> live, List<String> post) {
        public Checks {
            pre = List.copyOf(pre);
            live = List.copyOf(live);
            post = List.copyOf(post);
        }

        /** Whether any stage lists any of {@code names}. */
        public boolean lists(String... names) {
            for (String c : names) {
                if (pre.contains(c) || live.contains(c) || post.contains(c)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** RAG probe settings: top-{@code k}, {@code dualhomeK} compared across regions, ΔS risk band, coverage floor. */
    public record RagProbe(int k, int dualhomeK, double deltaSRisk, double coverageMin) {
    }

    /**
     * Webhooks: delivered only from {@code emitFrom} once rerouted; {@code dedupeKey} is the key expression, e.g.
     * {@code sha256(event_id+rev)}, whose named fields ({@link #keyFields()}) a webhook event may report.
     */
    public record WebhookPolicy(String emitFrom, String dedupeKey, List<String> keyFields) {
        public WebhookPolicy {
            keyFields = List.copyOf(keyFields);
        }
    }

    /**
     * Return-to-home: rebuild the follower, purge its cache, then restore its weight along {@code gradualWeights}
     * (percent of the share it had before the drill).
     */
    public record ReturnToHome(boolean rebuildFollower, boolean purgeCache, List<Integer> gradualWeights) {
        public ReturnToHome {
            gradualWeights = List.copyOf(gradualWeights);
        }
    }

    /**
     * Acceptance targets and the thresholds of the checks, with the seed's numbers as defaults (30 s, 60 s, 1.25×,
     * 600 s, 0.45, 0.70): λ convergent share, queue limit (items), cache hit ratio, cold-start share, the minimum
     * latency samples of a baseline, the Jaccard of dual-home answers, the share of responses that must announce the
     * stick region, and the verdicts the plan marks not applicable.
     */
    public record Acceptance(double cutoverS, double max5xxBurstS, double p95RatioMax, double backlogDrainS,
                             double deltaSMax, double coverageMin, double lambdaConvergentMin, long queueMax,
                             double cacheHitMin, double coldShareMax, int baselineSamplesMin, double answersJaccardMin,
                             double stickAnnouncedMin, List<String> notApplicable) {
        public Acceptance {
            notApplicable = List.copyOf(notApplicable);
        }

        public static final Acceptance SEED = new Acceptance(30, 60, 1.25, 600, 0.45, 0.70, 0.8, 100, 0.8, 0.2, 20,
                0.6, 0.95, List.of());
    }

    /**
     * Detection: sliding event-time window of {@code windowS} seconds; {@code p95Ms} the latency SLO (null = the
     * survivor's baseline p95 × {@code p95_ratio_max}); {@code errorRate} the error-rate threshold in [0, 1];
     * {@code quorum} observers (k of n) that must agree before a region is declared down; an observer votes a region
     * down above {@code outageEnter} failure rate and up again at or below {@code outageExit}; a region is a healthy
     * target when fewer than the quorum of live observers saw it down over the last {@code healthWindowS} seconds.
     */
    public record Detect(int windowS, Double p95Ms, double errorRate, int quorum, double outageEnter, double outageExit,
                         int healthWindowS) {
        public static final Detect DEFAULT = new Detect(30, null, 0.05, 2, 0.5, 0.1, 5);
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

    /**
     * The service's SLO: {@code objective} (e.g. 0.999) over {@code windowS}; a drill may spend at most
     * {@code maxBudgetShare} of that window's error budget.
     */
    public record Slo(double objective, long windowS, double maxBudgetShare) {
        public static final Slo DEFAULT = new Slo(0.999, 30L * 24 * 3600, 0.1);
    }
}

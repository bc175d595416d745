package io.failoverdrill.engine.core;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.failoverdrill.engine.core.signal.LastValue;
import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.LedgerBook;
import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.engine.core.signal.Sketches;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The seed's runbook as steps taken on whole seconds of event time, for the five drill types:
 *
 * <ul>
 *   <li>{@code brownout}: pre-checks (baseline window) → evacuate (freeze followers, drain the region) → promote
 *       (one writer, stick) → observe (clamps) → verify → closeout.</li>
 *   <li>{@code blackhole}: as brownout, but after the pre-checks the drill is <em>armed</em> and evacuates only
 *       when telemetry shows the region down: at least {@code detect.quorum} live observers with a failure rate
 *       over 50 % for {@code routing.hysteresis_s} seconds ({@code fault} control events are never used).</li>
 *   <li>{@code index_skew}: a region whose INDEX_HASH/metric/analyzer differs from the survivor's is refused
 *       (drained to weight 0) and rebuilt to the survivor's artifact; verify waits for parity, then weights are
 *       restored step by step.</li>
 *   <li>{@code webhook_reroute}: as brownout, plus {@code route_webhooks} to {@code webhook_policy.emit_from};
 *       a repeated {@code dedupe_key} fails the drill.</li>
 *   <li>{@code return_home}: as brownout, then on {@code repair_done}: rebuild the home region from the
 *       survivor's artifact, confirm INDEX_HASH, purge and re-warm its cache, unfreeze its writes, and restore its
 *       weight along {@code gradual_weights}, each step after the region stayed healthy for the dwell.</li>
 * </ul>
 *
 * Each step waits for the acks of the one before it; every command passes {@link SafetyInvariants} first.
 */
final class Runbook {
    private final DrillPlan plan;
    private final Map<String, RegionSignals> regions;
    private final LedgerBook ledgers;
    private final DecisionLog log;
    private final DrillCore.EventCounts counts;
    private final EventClock clock;
    private final PhaseMachine machine = new PhaseMachine();
    private final SafetyInvariants safety;
    private final PreChecks preChecks;
    private final String type;

    private boolean startRequested;
    private boolean abortRequested;
    private boolean repairDone;
    private final List<ControlEvent> faults = new ArrayList<>();

    private long phaseStartMs;
    private boolean gated;
    private boolean verified;
    private long evacuateDecisionMs = Long.MIN_VALUE;
    private long flipMs = Long.MAX_VALUE;
    private long writerSinceMs = Long.MAX_VALUE;
    private long webhooksRoutedMs = Long.MAX_VALUE;
    private final CommandStep evacuateStep = new CommandStep();
    private final CommandStep promoteStep = new CommandStep();
    private CommandStep homeStep = new CommandStep();
    private final Map<String, Command> issued = new LinkedHashMap<>();
    private final Map<String, DDSketch> baseline = new LinkedHashMap<>();
    private final Map<String, DDSketch> observed = new LinkedHashMap<>();
    private final Map<String, ClampController> clamps = new TreeMap<>();
    private final Hysteresis outage;
    private final LiveRecord live = new LiveRecord();
    private RagView ragBefore;
    /** RAG answers older than this (event time) no longer count: set when a rebuilt index reaches parity. */
    private long ragSinceMs = Long.MIN_VALUE;
    private List<String> skewed = List.of();
    private String artifactHash;
    private HomeStep home = HomeStep.START;
    private int weightStep;
    private int healthyS;

    /** Sub-steps of return-to-home (also used to restore weights after an index-skew rebuild). */
    private enum HomeStep { START, REBUILD, PARITY, CACHE, UNFREEZE, WEIGHTS, FINISH }

    /** What the drill saw while it ran: the worst values of the live checks, bursts, backlog drain. */
    private static final class LiveRecord {
        double worstP95 = Double.NaN;
        double worstErrorRate = Double.NaN;
        double worstBacklogAgeMs = -1;
        double worstDeltaS = Double.NaN;
        long chaotic;
        long lambdaSamples;
        boolean parityBroken;
        boolean indexSeen;
        long burstS;
        long longestBurstS;
        long backlogBaseline = -1;
        boolean backlogSeen;
        long backlogDrainedMs = Long.MIN_VALUE;
        long authAfterFlip;
        long coldAfterPromote;
        long requestsAfterPromote;
        final DDSketch coldLatency = Sketches.newLatencySketch();
        final DDSketch backlogAgeMs = Sketches.newLatencySketch();
        final DDSketch backlogLength = Sketches.newLatencySketch();
        Map<String, Object> errorsByClass = Map.of();
        final Map<String, Object> clampLog = new TreeMap<>();
    }

    Runbook(DrillPlan plan, Map<String, RegionSignals> regions, LedgerBook ledgers, DecisionLog log,
            DrillCore.EventCounts counts, EventClock clock) {
        this.plan = plan;
        this.regions = regions;
        this.ledgers = ledgers;
        this.log = log;
        this.counts = counts;
        this.clock = clock;
        this.type = plan.drillType();
        this.safety = new SafetyInvariants(plan.regions());
        this.preChecks = new PreChecks(plan, regions);
        this.outage = new Hysteresis(new Hysteresis.Config(0.5, 0.1, true, plan.routing().hysteresisS(),
                plan.detect().quorum(), 4, 3600));
        for (String r : plan.regions()) {
            baseline.put(r, Sketches.newLatencySketch());
            observed.put(r, Sketches.newLatencySketch());
        }
    }

    DecisionLog log() {
        return log;
    }

    Phase phase() {
        return machine.current();
    }

    // ------------------------------------------------------------------ inputs

    /** A control or ack event whose time has come. */
    void apply(InputEvent e) {
        if (e instanceof ControlEvent c) {
            switch (c.action()) {
                case "start" -> startRequested = true;
                case "abort" -> abortRequested = true;
                case "repair_done" -> repairDone = true;
                default -> faults.add(c);
            }
        } else if (e instanceof AckEvent a) {
            Command c = issued.get(a.commandId());
            if (c == null) {
                return;
            }
            evacuateStep.ack(a);
            promoteStep.ack(a);
            homeStep.ack(a);
            if (a.applied()) {
                if (c.body() instanceof CommandBody.FreezeWrites f) {
                    safety.frozen(f.regions());
                } else if (c.body() instanceof CommandBody.UnfreezeWrites u) {
                    safety.unfrozen(u.regions());
                } else if (c.body() instanceof CommandBody.SetWeights && flipMs == Long.MAX_VALUE) {
                    flipMs = a.tsMs();
                } else if (c.body() instanceof CommandBody.PromoteWriter) {
                    writerSinceMs = Math.min(writerSinceMs, a.tsMs());
                } else if (c.body() instanceof CommandBody.RouteWebhooks) {
                    webhooksRoutedMs = Math.min(webhooksRoutedMs, a.tsMs());
                }
            }
        }
    }

    /** Second {@code sec} is final: fold it into the phase-scoped accumulators and the drill's live record. */
    void sealedSecond(long sec) {
        Phase p = machine.current();
        if (p == Phase.PRECHECK && !gated) {
            baseline.forEach((region, sketch) -> regions.get(region).mergeSecondInto(sec, false, sketch));
        } else if (p == Phase.OBSERVE && sec * 1000 >= phaseStartMs) {
            observed.forEach((region, sketch) -> regions.get(region).mergeSecondInto(sec, false, sketch));
        }
        if (p == Phase.IDLE || machine.isTerminal()) {
            return;
        }
        boolean bad = false;
        for (String r : served()) {
            long[] badTotal = regions.get(r).badAndTotal(sec);
            bad |= badTotal[1] > 0 && (double) badTotal[0] / badTotal[1] > plan.detect().errorRate();
            if (sec * 1000 >= flipMs) {
                live.authAfterFlip += regions.get(r).authFailures(sec);
            }
        }
        live.burstS = bad ? live.burstS + 1 : 0;
        live.longestBurstS = Math.max(live.longestBurstS, live.burstS);
        if (sec * 1000 >= writerSinceMs) {
            long[] cold = regions.get(plan.promoteSurvivor()).coldAndTotal(sec);
            live.coldAfterPromote += cold[0];
            live.requestsAfterPromote += cold[1];
            regions.get(plan.promoteSurvivor()).mergeSecondInto(sec, true, live.coldLatency);
        }
    }

    // ------------------------------------------------------------------ progress

    /**
     * What an operator watching the drill needs at event time {@code nowMs}: the phase, how long it has run, the
     * countdown it is waiting on (baseline, observation, rebuild timeout) and any hysteresis dwell in progress.
     */
    Map<String, Object> progress(long nowMs) {
        Map<String, Object> m = new TreeMap<>();
        Phase phase = machine.current();
        m.put("phase", phase.wire());
        if (phase == Phase.IDLE || machine.isTerminal()) {
            return m;
        }
        long inPhaseS = Math.max(0, (nowMs - phaseStartMs) / 1000);
        m.put("in_phase_s", inPhaseS);
        if (phase == Phase.PRECHECK && !gated) {
            m.put("waiting", "baseline " + inPhaseS + "/" + plan.timeline().baselineS() + " s");
        } else if (phase == Phase.OBSERVE) {
            m.put("waiting", "observe " + inPhaseS + "/" + plan.timeline().observeS() + " s");
        } else if (phase == Phase.VERIFY && type.equals("index_skew")) {
            m.put("waiting", "rebuild parity, timeout " + inPhaseS + "/" + plan.timeline().rebuildTimeoutS() + " s");
        } else if (phase == Phase.EVACUATE || phase == Phase.PROMOTE) {
            m.put("waiting", "acks of the " + phase.wire() + " commands");
        }
        if (outage.dwellProgressS() > 0) {
            m.put("dwell", "outage " + (outage.firing() ? "clear " : "held ") + outage.dwellProgressS() + "/"
                    + plan.routing().hysteresisS() + " s, bad observers " + outage.badObservers());
        }
        return m;
    }

    // ------------------------------------------------------------------ the tick

    /** One tick at event time {@code nowMs}. */
    void step(long nowMs) {
        if (machine.isTerminal()) {
            return;
        }
        if (abortRequested && machine.current() != Phase.IDLE) {
            log.verdict(nowMs, "operator_abort", false, "abort", null, Map.of("phase", machine.current().wire()));
            moveTo(nowMs, Phase.ABORTED);
            return;
        }
        trackBacklog(nowMs);
        switch (machine.current()) {
            case IDLE -> {
                if (startRequested) {
                    moveTo(nowMs, Phase.PRECHECK);
                }
            }
            case PRECHECK -> {
                if (!gated && nowMs - phaseStartMs >= plan.timeline().baselineS() * 1000L) {
                    gate(nowMs);
                } else if (gated) {
                    detectOutage(nowMs);
                }
            }
            case EVACUATE -> awaitAcks(nowMs, evacuateStep, () -> {
                if (type.equals("index_skew")) {
                    moveTo(nowMs, Phase.VERIFY);
                } else {
                    promote(nowMs);
                }
            });
            case PROMOTE -> awaitAcks(nowMs, promoteStep, () -> cutoverDone(nowMs));
            case OBSERVE -> observe(nowMs);
            case VERIFY -> verify(nowMs);
            case RETURN_HOME -> returnHome(nowMs);
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ pre-checks and detection

    private void gate(long nowMs) {
        gated = true;
        Map<String, LatencyStats> stats = new TreeMap<>();
        baseline.forEach((r, s) -> stats.put(r, LatencyStats.of(s)));
        List<CheckResult> results = new ArrayList<>(preChecks.evaluate(stats, type.equals("index_skew")));
        if (type.equals("index_skew")) {
            results.addAll(skewChecks());
        }
        boolean pass = true;
        Map<String, Object> summary = new TreeMap<>();
        for (CheckResult r : results) {
            verdict(nowMs, r);
            summary.put(r.check(), r.pass() ? "pass" : "fail");
            pass &= r.pass();
        }
        live.backlogBaseline = regions.values().stream().mapToLong(RegionSignals::backlogLength).max().orElse(-1);
        ragBefore = new RagView(regions.values(), null);
        if (!pass) {
            moveTo(nowMs, Phase.ABORTED);
            return;
        }
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("prechecks", summary);
        evidence.put("baseline_p95_ms", baselineEvidence(stats));
        if (type.equals("blackhole")) {
            return; // armed: evacuation waits for the outage to show in telemetry
        }
        evacuate(nowMs, "evacuate", evidence);
    }

    private List<CheckResult> skewChecks() {
        Telemetry.IndexMeta reference = agreedIndex(plan.promoteSurvivor());
        List<String> found = new ArrayList<>();
        Map<String, Object> ev = new TreeMap<>();
        for (String r : plan.regions()) {
            Telemetry.IndexMeta m = agreedIndex(r);
            ev.put(r, m == null ? "no data" : Map.of("index_hash", m.indexHash(), "metric", m.metric(), "analyzer", m.analyzer()));
            if (!r.equals(plan.promoteSurvivor()) && m != null && reference != null && !sameIndex(m, reference)) {
                found.add(r);
            }
        }
        skewed = List.copyOf(found);
        artifactHash = reference == null ? null : reference.indexHash();
        ev.put("reference", plan.promoteSurvivor());
        ev.put("skewed", skewed);
        boolean detected = reference != null && !skewed.isEmpty();
        return List.of(new CheckResult("index_skew_detected", detected, (long) skewed.size(), ">= 1", ev),
                new CheckResult("index_reuse_refused", detected, detected ? skewed : null, "rebuild before reuse",
                        Map.of("rule", "a region whose INDEX_HASH, metric or analyzer differs from the survivor's "
                                + "is not served and is rebuilt from the survivor's artifact", "artifact_hash",
                                artifactHash == null ? "no data" : artifactHash)));
    }

    private static boolean sameIndex(Telemetry.IndexMeta a, Telemetry.IndexMeta b) {
        return a.indexHash().equals(b.indexHash()) && a.metric().equals(b.metric()) && a.analyzer().equals(b.analyzer());
    }

    /** The index metadata every observer of {@code region} agrees on, or null (no data, or observers disagree). */
    private Telemetry.IndexMeta agreedIndex(String region) {
        Telemetry.IndexMeta agreed = null;
        for (LastValue<Telemetry.IndexMeta> v : regions.get(region).index().values()) {
            Telemetry.IndexMeta m = v.value();
            if (m == null) {
                continue;
            }
            if (agreed != null && !sameIndex(agreed, m)) {
                return null;
            }
            agreed = m;
        }
        return agreed;
    }

    private void detectOutage(long nowMs) {
        int window = 1; // each second votes on its own; the dwell, not a moving average, does the smoothing
        Map<String, Double> rates = new TreeMap<>();
        regions.get(plan.evacuate()).failureRateByObserver(nowMs, window).forEach((observer, rate) -> {
            if (clock.isLive(observer)) {
                rates.put(observer, rate);
            }
        });
        if (outage.evaluate(nowMs, rates) == Hysteresis.Change.FIRED) {
            Map<String, Object> evidence = new TreeMap<>();
            evidence.put("region", plan.evacuate());
            evidence.put("observers_down", outage.badObservers());
            evidence.put("quorum", plan.detect().quorum());
            evidence.put("dwell_s", plan.routing().hysteresisS());
            Map<String, Object> r = new TreeMap<>();
            rates.forEach((o, v) -> r.put(o, Double.isNaN(v) ? null : Numbers.round3(v)));
            evidence.put("failure_rate_by_observer", r);
            evidence.put("window_s", window);
            evidence.put("faults_announced", faultEvidence());
            log.verdict(nowMs, "outage_detected", true, (long) outage.badVotes(), plan.detect().quorum(), evidence);
            evacuate(nowMs, "evacuate.outage", evidence);
        }
    }

    // ------------------------------------------------------------------ cutover

    private void evacuate(long nowMs, String rulePrefix, Map<String, Object> evidence) {
        moveTo(nowMs, Phase.EVACUATE);
        evacuateDecisionMs = nowMs;
        evidence.put("faults_announced", faultEvidence());
        if (type.equals("index_skew")) {
            if (!skewed.isEmpty()) {
                issue(nowMs, evacuateStep, "evacuate.refuse_skewed_index", evidence, new CommandBody.SetWeights(weightsWithout(skewed)));
            }
            for (String r : skewed) {
                issue(nowMs, evacuateStep, "evacuate.rebuild_from_artifact", evidence, new CommandBody.RebuildIndex(r, artifactHash));
            }
            return;
        }
        if (plan.freezeWritesOnFollowers()) {
            issue(nowMs, evacuateStep, rulePrefix + ".freeze_followers", evidence,
                    new CommandBody.FreezeWrites(plan.followers(), "enqueue"));
        }
        issue(nowMs, evacuateStep, rulePrefix + ".drain_region", evidence,
                new CommandBody.SetWeights(weightsWithout(List.of(plan.evacuate()))));
    }

    private List<String> faultEvidence() {
        return faults.stream().map(f -> f.fault().kind() + "@" + f.fault().region()).toList();
    }

    /** Weight 0 for {@code excluded}; 100 split over the others, the remainder to the survivor. */
    private TreeMap<String, Integer> weightsWithout(List<String> excluded) {
        List<String> serving = plan.regions().stream().filter(r -> !excluded.contains(r)).toList();
        TreeMap<String, Integer> w = new TreeMap<>();
        int share = serving.isEmpty() ? 0 : 100 / serving.size();
        for (String r : plan.regions()) {
            w.put(r, excluded.contains(r) ? 0 : share);
        }
        w.merge(plan.promoteSurvivor(), 100 - share * serving.size(), Integer::sum);
        return w;
    }

    private void promote(long nowMs) {
        moveTo(nowMs, Phase.PROMOTE);
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("evacuate_acks", evacuateStep.evidence());
        if (issue(nowMs, promoteStep, "promote.single_writer", evidence, new CommandBody.PromoteWriter(plan.promoteSurvivor()))) {
            issue(nowMs, promoteStep, "promote.stick_sessions", evidence,
                    new CommandBody.Stick(plan.promoteSurvivor(), plan.routing().stickMinutes()));
            if (type.equals("webhook_reroute")) {
                issue(nowMs, promoteStep, "promote.webhooks_from_survivor", evidence,
                        new CommandBody.RouteWebhooks(plan.webhookPolicy().emitFrom()));
            }
        }
    }

    private void cutoverDone(long nowMs) {
        long lastAck = Math.max(evacuateStep.lastAckMs(), promoteStep.lastAckMs());
        double seconds = Numbers.round3((lastAck - evacuateDecisionMs) / 1000.0);
        Map<String, Object> evidence = cutoverEvidence();
        evidence.put("last_ack_ms_after_decision", lastAck - evacuateDecisionMs);
        log.verdict(nowMs, "cutover_time", seconds <= plan.acceptance().cutoverS(), seconds, plan.acceptance().cutoverS(), evidence);
        moveTo(nowMs, Phase.OBSERVE);
    }

    private Map<String, Object> cutoverEvidence() {
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("decision_ts_ms", evacuateDecisionMs);
        Map<String, Object> commands = new TreeMap<>(evacuateStep.evidence());
        commands.putAll(promoteStep.evidence());
        evidence.put("commands", commands);
        return evidence;
    }

    /** Waits for every ack of {@code step}; a rejection or the cutover deadline fails the cutover and aborts. */
    private void awaitAcks(long nowMs, CommandStep step, Runnable next) {
        List<Command> rejected = step.rejected();
        double limitS = plan.acceptance().cutoverS();
        if (!rejected.isEmpty() || nowMs - evacuateDecisionMs > limitS * 1000) {
            Map<String, Object> evidence = cutoverEvidence();
            evidence.put("rejected", rejected.stream().map(Command::type).toList());
            Object value = rejected.isEmpty() ? Numbers.round3((nowMs - evacuateDecisionMs) / 1000.0) : null;
            evidence.put("cause", rejected.isEmpty() ? "acks missing at the deadline" : "command rejected by actuator");
            log.verdict(nowMs, "cutover_time", false, value, limitS, evidence);
            moveTo(nowMs, Phase.ABORTED);
        } else if (step.allApplied()) {
            next.run();
        }
    }

    // ------------------------------------------------------------------ observe and clamp

    private void observe(long nowMs) {
        int window = plan.detect().windowS();
        RagView rag = new RagView(regions.values(), served());
        for (String r : served()) {
            RegionSignals s = regions.get(r);
            LatencyStats p = s.latency(nowMs, window, false);
            if (!p.isEmpty()) {
                live.worstP95 = Double.isNaN(live.worstP95) ? p.p95() : Math.max(live.worstP95, p.p95());
            }
            var errors = s.errors(nowMs, window);
            if (errors.requests() > 0 && (Double.isNaN(live.worstErrorRate) || errors.rate() > live.worstErrorRate)) {
                live.worstErrorRate = errors.rate();
                live.errorsByClass = errors.toEvidence();
            }
            double age = s.backlogOldestAgeMs();
            live.worstBacklogAgeMs = Math.max(live.worstBacklogAgeMs, age);
            if (age >= 0) {
                live.backlogAgeMs.accept(age);
                live.backlogLength.accept(s.backlogLength());
            }
            double maxDs = rag.maxDeltaS(r);
            ClampController clamp = clamps.computeIfAbsent(r, k -> new ClampController(plan, k, slo(k)));
            ClampController.Step c = clamp.evaluate(nowMs, p.isEmpty() ? Double.NaN : p.p95(), maxDs);
            if (c != null) {
                issue(nowMs, null, c.rule(), c.evidence(), c.body());
                live.clampLog.merge(c.body().type(), 1L, (a, b) -> (Long) a + (Long) b);
            }
        }
        if (!rag.isEmpty()) {
            double ds = rag.maxDeltaS();
            live.worstDeltaS = Double.isNaN(live.worstDeltaS) ? ds : Math.max(live.worstDeltaS, ds);
            Map<String, Long> lambdas = rag.lambdaCounts();
            live.chaotic += lambdas.getOrDefault("chaotic", 0L);
            live.lambdaSamples += lambdas.values().stream().mapToLong(Long::longValue).sum();
        }
        Set<String> hashes = new TreeSet<>();
        for (String r : served()) {
            Telemetry.IndexMeta m = agreedIndex(r);
            if (m != null) {
                hashes.add(m.indexHash());
                live.indexSeen = true;
            }
        }
        live.parityBroken |= hashes.size() > 1;
        if (nowMs - phaseStartMs >= plan.timeline().observeS() * 1000L) {
            moveTo(nowMs, Phase.VERIFY);
        }
    }

    /** The latency SLO of {@code region}: {@code detect.p95_ms}, else its baseline p95 × {@code p95_ratio_max}. */
    private double slo(String region) {
        if (plan.detect().p95Ms() != null) {
            return plan.detect().p95Ms();
        }
        LatencyStats b = LatencyStats.of(baseline.get(region));
        return b.isEmpty() ? Double.MAX_VALUE : b.p95() * plan.acceptance().p95RatioMax();
    }

    private void trackBacklog(long nowMs) {
        long length = regions.values().stream().mapToLong(RegionSignals::backlogLength).max().orElse(-1);
        if (length >= 0) {
            live.backlogSeen = true;
        }
        if (evacuateDecisionMs == Long.MIN_VALUE || length < 0) {
            return;
        }
        boolean drained = length <= Math.max(0, live.backlogBaseline);
        if (drained && live.backlogDrainedMs == Long.MIN_VALUE) {
            live.backlogDrainedMs = nowMs;
        } else if (!drained) {
            live.backlogDrainedMs = Long.MIN_VALUE;
        }
    }

    // ------------------------------------------------------------------ verify

    private void verify(long nowMs) {
        if (type.equals("index_skew")) {
            verifyRebuild(nowMs);
            return;
        }
        if (verified) {
            if (repairDone) {
                moveTo(nowMs, Phase.RETURN_HOME); // return_home: the repaired region comes back
            }
            return;
        }
        boolean backlogWaiting = live.backlogSeen && live.backlogDrainedMs == Long.MIN_VALUE
                && nowMs - evacuateDecisionMs < plan.acceptance().backlogDrainS() * 1000;
        if (backlogWaiting) {
            return; // the backlog may still drain within its target: keep verifying
        }
        verdictsAfterCutover(nowMs, !type.equals("return_home"));
        verified = true;
        if (type.equals("return_home")) {
            return; // waits in verify for repair_done
        }
        finish(nowMs);
    }

    private void verifyRebuild(long nowMs) {
        boolean parity = skewed.stream().allMatch(r -> {
            Telemetry.IndexMeta m = agreedIndex(r);
            return m != null && m.indexHash().equals(artifactHash);
        });
        boolean late = nowMs - phaseStartMs > plan.timeline().rebuildTimeoutS() * 1000L;
        if (!parity && !late) {
            return;
        }
        if (parity && ragSinceMs == Long.MIN_VALUE) {
            ragSinceMs = nowMs; // answers from before the rebuild describe the skewed index, not the rebuilt one
        }
        RagView anyTime = new RagView(regions.values(), new TreeSet<>(skewed));
        RagView rag = parity ? new RagView(regions.values(), new TreeSet<>(skewed), ragSinceMs) : anyTime;
        boolean awaitingFreshAnswers = parity && rag.questions() < anyTime.questions()
                && nowMs - ragSinceMs < plan.detect().windowS() * 1000L;
        if (awaitingFreshAnswers) {
            return; // the questions the region answered before are asked again of the rebuilt index (≤ one window)
        }
        verdict(nowMs, indexParity());
        verdict(nowMs, contractsEqual());
        if (!rag.isEmpty() || listed("delta_s_probe", "lambda_state", "answers_equal")) {
            verdict(nowMs, rag.isEmpty() ? CheckResult.noData("delta_s", plan.acceptance().deltaSMax(),
                    "rag_probe events from the rebuilt region") : deltaS(ragBefore, rag));
        }
        if (!parity) {
            moveTo(nowMs, Phase.CLOSEOUT);
            moveTo(nowMs, Phase.DONE);
            return;
        }
        moveTo(nowMs, Phase.RETURN_HOME);
        home = HomeStep.WEIGHTS;
    }

    /** Live checks of the plan, the acceptance targets, and (when {@code withPost}) the post checks. */
    private void verdictsAfterCutover(long nowMs, boolean withPost) {
        Set<String> done = new TreeSet<>();
        for (String check : plan.checks().live()) {
            emitOnce(nowMs, done, liveCheck(check));
        }
        emitOnce(nowMs, done, maxBurst());
        for (String r : served()) {
            emitOnce(nowMs, done, p95Ratio(r));
        }
        emitOnce(nowMs, done, writeLoss(nowMs));
        emitOnce(nowMs, done, singleWriter(nowMs));
        if (live.backlogSeen || listed("queue_backlog", "backlog_zero", "queue_empty")) {
            emitOnce(nowMs, done, backlogDrain(nowMs));
        }
        emitOnce(nowMs, done, authFailures());
        emitOnce(nowMs, done, coldStartStorm());
        if (type.equals("webhook_reroute") || ledgers.hasWebhooks()) {
            emitOnce(nowMs, done, webhookDuplicates(nowMs));
        }
        if (withPost) {
            postVerdicts(nowMs, done);
        }
    }

    /** Parity, answers, RAG quality and post checks: after the cutover, or after the return home. */
    private void postVerdicts(long nowMs, Set<String> done) {
        if (live.indexSeen || listed("index_hash", "index_hash_equal", "contracts_equal")) {
            emitOnce(nowMs, done, indexParity());
            emitOnce(nowMs, done, contractsEqual());
        }
        RagView after = new RagView(regions.values(), null, ragSinceMs);
        if (!after.isEmpty() || listed("delta_s_probe", "lambda_state", "answers_equal")) {
            emitOnce(nowMs, done, after.isEmpty() ? CheckResult.noData("delta_s", plan.acceptance().deltaSMax(), "rag_probe events") : deltaS(ragBefore, after));
            emitOnce(nowMs, done, after.isEmpty() ? CheckResult.noData("lambda_convergent", 0.8, "rag_probe events") : lambda(ragBefore, after));
            emitOnce(nowMs, done, after.isEmpty() ? CheckResult.noData("coverage", plan.acceptance().coverageMin(), "rag_probe events") : coverage(after));
            emitOnce(nowMs, done, after.isEmpty() ? CheckResult.noData("answers_equal", 1.0, "rag_probe events") : answersEqual(after));
        }
        for (String check : plan.checks().post()) {
            if (!done.contains(check)) {
                emitOnce(nowMs, done, postCheck(check, nowMs, after));
            }
        }
    }

    private void emitOnce(long nowMs, Set<String> done, CheckResult r) {
        if (r != null && done.add(r.check() + "|" + r.evidence().getOrDefault("region", ""))) {
            verdict(nowMs, r);
        }
    }

    private boolean listed(String... checks) {
        for (String c : checks) {
            if (plan.checks().pre().contains(c) || plan.checks().live().contains(c) || plan.checks().post().contains(c)) {
                return true;
            }
        }
        return false;
    }

    private CheckResult liveCheck(String check) {
        return switch (check) {
            case "p95_latency" -> Double.isNaN(live.worstP95) ? CheckResult.noData(check, null, "request latencies during observe")
                    : new CheckResult(check, live.worstP95 <= slo(plan.promoteSurvivor()), Numbers.round1(live.worstP95),
                    Numbers.round1(slo(plan.promoteSurvivor())), Map.of("window_s", plan.detect().windowS(), "clamps", live.clampLog));
            case "error_rate" -> Double.isNaN(live.worstErrorRate) ? CheckResult.noData(check, plan.detect().errorRate(), "requests during observe")
                    : new CheckResult(check, live.worstErrorRate <= plan.detect().errorRate(), Numbers.round3(live.worstErrorRate),
                    plan.detect().errorRate(), Map.of("window_s", plan.detect().windowS(), "worst_window", live.errorsByClass));
            case "queue_backlog" -> live.worstBacklogAgeMs < 0 ? CheckResult.noData(check, plan.acceptance().backlogDrainS(), "backlog events")
                    : new CheckResult(check, live.worstBacklogAgeMs <= plan.acceptance().backlogDrainS() * 1000,
                    Numbers.round3(live.worstBacklogAgeMs / 1000), plan.acceptance().backlogDrainS(), Map.of("measure", "oldest item age, s",
                    "oldest_age_ms", LatencyStats.of(live.backlogAgeMs).toEvidence(), "length", LatencyStats.of(live.backlogLength).toEvidence()));
            case "delta_s_probe" -> Double.isNaN(live.worstDeltaS) ? CheckResult.noData(check, plan.ragProbe().deltaSRisk(), "rag_probe events during observe")
                    : new CheckResult(check, live.worstDeltaS < plan.ragProbe().deltaSRisk(), Numbers.round3(live.worstDeltaS),
                    plan.ragProbe().deltaSRisk(), Map.of("measure", "worst ΔS of the probe set while serving"));
            case "lambda_state" -> live.lambdaSamples == 0 ? CheckResult.noData(check, 0, "rag_probe events during observe")
                    : new CheckResult(check, live.chaotic == 0, live.chaotic, 0, Map.of("samples", live.lambdaSamples, "measure", "chaotic λ seen"));
            case "index_hash" -> !live.indexSeen ? CheckResult.noData(check, true, "index_meta events during observe")
                    : new CheckResult(check, !live.parityBroken, !live.parityBroken, true, Map.of("measure", "INDEX_HASH equal across serving regions"));
            default -> CheckResult.noRule(check, "live");
        };
    }

    private CheckResult postCheck(String check, long nowMs, RagView after) {
        return switch (check) {
            case "backlog_zero" -> {
                long length = regions.values().stream().mapToLong(RegionSignals::backlogLength).max().orElse(-1);
                yield length < 0 ? CheckResult.noData(check, 0, "backlog events")
                        : new CheckResult(check, length <= Math.max(0, live.backlogBaseline), length, Math.max(0, live.backlogBaseline),
                        Map.of("pre_drill_baseline", live.backlogBaseline));
            }
            case "cache_rewarmed" -> cacheRewarmed();
            default -> CheckResult.noRule(check, "post");
        };
    }

    private CheckResult maxBurst() {
        return new CheckResult("max_5xx_burst", live.longestBurstS <= plan.acceptance().max5xxBurstS(), live.longestBurstS,
                plan.acceptance().max5xxBurstS(), Map.of("measure", "longest run of seconds, from the drill's start, with the share of http_5xx/timeout/connect failures over detect.error_rate on a serving region",
                "error_rate_threshold", plan.detect().errorRate()));
    }

    private CheckResult p95Ratio(String region) {
        LatencyStats before = LatencyStats.of(baseline.get(region));
        LatencyStats after = LatencyStats.of(observed.get(region));
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("region", region);
        evidence.put("baseline", before.toEvidence());
        evidence.put("observed", after.toEvidence());
        evidence.put("observe_s", plan.timeline().observeS());
        evidence.put("late_events", counts.late);
        boolean measurable = !before.isEmpty() && !after.isEmpty() && before.p95() > 0;
        Double ratio = measurable ? Numbers.round3(after.p95() / before.p95()) : null;
        boolean pass = ratio != null && ratio <= plan.acceptance().p95RatioMax();
        return new CheckResult("p95_ratio", pass, ratio, plan.acceptance().p95RatioMax(), evidence);
    }

    private CheckResult writeLoss(long nowMs) {
        Map<String, Object> ev = ledgers.writeEvidence(nowMs, plan.promoteSurvivor(), writerSinceMs);
        long lost = (Long) ev.get("lost");
        return new CheckResult("write_loss", lost == 0, lost, 0, ev);
    }

    private CheckResult singleWriter(long nowMs) {
        Map<String, Object> ev = ledgers.writeEvidence(nowMs, plan.promoteSurvivor(), writerSinceMs);
        long others = (Long) ev.get("applied_by_other_writer") + (Long) ev.get("applied_twice");
        return new CheckResult("single_writer", others == 0, others, 0, ev);
    }

    private CheckResult backlogDrain(long nowMs) {
        Map<String, Object> ev = new TreeMap<>();
        ev.put("pre_drill_baseline", live.backlogBaseline);
        ev.put("current", regions.values().stream().mapToLong(RegionSignals::backlogLength).max().orElse(-1));
        if (!live.backlogSeen) {
            return CheckResult.noData("backlog_drain", plan.acceptance().backlogDrainS(), "backlog events");
        }
        boolean drained = live.backlogDrainedMs != Long.MIN_VALUE;
        double seconds = Numbers.round3(((drained ? live.backlogDrainedMs : nowMs) - evacuateDecisionMs) / 1000.0);
        ev.put("drained", drained);
        return new CheckResult("backlog_drain", drained && seconds <= plan.acceptance().backlogDrainS(), seconds,
                plan.acceptance().backlogDrainS(), ev);
    }

    private CheckResult indexParity() {
        Map<String, Object> ev = new TreeMap<>();
        Set<String> hashes = new TreeSet<>();
        boolean all = true;
        for (String r : plan.regions()) {
            Telemetry.IndexMeta m = agreedIndex(r);
            ev.put(r, m == null ? "no data or observers disagree" : Map.of("index_hash", m.indexHash(), "metric", m.metric(),
                    "analyzer", m.analyzer(), "build_ts_ms", m.buildTsMs()));
            all &= m != null;
            if (m != null) {
                hashes.add(m.indexHash());
            }
        }
        return new CheckResult("index_hash_parity", all && hashes.size() == 1, (long) hashes.size(), 1, ev);
    }

    private CheckResult contractsEqual() {
        Map<String, Object> ev = new TreeMap<>();
        Set<String> contracts = new TreeSet<>();
        boolean all = true;
        for (String r : plan.regions()) {
            Telemetry.IndexMeta m = agreedIndex(r);
            String c = m == null ? null : m.metric() + "|" + m.analyzer() + "|" + m.embedModel() + "|"
                    + (m.contractFields() == null ? "" : String.join(",", new TreeSet<>(m.contractFields())));
            ev.put(r, c == null ? "no data" : c);
            all &= c != null;
            if (c != null) {
                contracts.add(c);
            }
        }
        ev.put("compared", "metric|analyzer|embed_model|contract_fields");
        return new CheckResult("contracts_equal", all && contracts.size() == 1, (long) contracts.size(), 1, ev);
    }

    private CheckResult deltaS(RagView before, RagView after) {
        double pre = before == null || before.isEmpty() ? Double.NaN : before.maxDeltaS();
        double post = after.maxDeltaS();
        Map<String, Object> ev = new TreeMap<>();
        ev.put("before", before == null || before.isEmpty() ? "no data" : before.deltaSEvidence());
        ev.put("after", after.deltaSEvidence());
        ev.put("zones_after", after.deltaSZones());
        ev.put("zones_before", before == null || before.isEmpty() ? "no data" : before.deltaSZones());
        // index_skew injects a bad index on purpose: what must hold is the rebuilt region's ΔS afterwards
        boolean afterOnly = type.equals("index_skew");
        ev.put("judged_on", afterOnly ? "after the rebuild" : "before and after the drill");
        double worst = afterOnly || Double.isNaN(pre) ? post : Math.max(pre, post);
        return new CheckResult("delta_s", worst <= plan.acceptance().deltaSMax(), Numbers.round3(worst), plan.acceptance().deltaSMax(), ev);
    }

    private CheckResult lambda(RagView before, RagView after) {
        Map<String, Long> counts = after.lambdaCounts();
        long n = after.questions();
        double convergent = n == 0 ? 0 : counts.getOrDefault("convergent", 0L) / (double) n;
        long chaotic = counts.getOrDefault("chaotic", 0L);
        Map<String, Object> ev = new TreeMap<>();
        ev.put("after", new TreeMap<String, Object>(counts));
        ev.put("before", before == null || before.isEmpty() ? "no data" : new TreeMap<String, Object>(before.lambdaCounts()));
        ev.put("rule", "convergent share ≥ 0.8 and no chaotic");
        return new CheckResult("lambda_convergent", convergent >= 0.8 && chaotic == 0, Numbers.round3(convergent), 0.8, ev);
    }

    private CheckResult coverage(RagView after) {
        double min = after.minCoverage();
        return new CheckResult("coverage", min >= plan.acceptance().coverageMin(), Numbers.round3(min),
                plan.acceptance().coverageMin(), Map.of("questions", after.questions()));
    }

    private CheckResult answersEqual(RagView after) {
        Map<String, Object> ev = after.parity(plan.ragProbe().dualhomeK(), 0.6);
        long compared = (Long) ev.get("compared");
        long equal = (Long) ev.get("equal");
        double share = compared == 0 ? 0 : Numbers.round3((double) equal / compared);
        return new CheckResult("answers_equal", compared > 0 && equal == compared, share, 1.0, ev);
    }

    private CheckResult cacheRewarmed() {
        Map<String, Object> ev = new TreeMap<>();
        boolean pass = true;
        double worst = 2;
        for (String r : served()) {
            List<Telemetry.Cache> caches = regions.get(r).cache().values().stream().map(LastValue::value)
                    .filter(java.util.Objects::nonNull).toList();
            pass &= !caches.isEmpty();
            for (Telemetry.Cache c : caches) {
                worst = Math.min(worst, c.hitRatio());
                pass &= c.hitRatio() >= PreChecks.CACHE_WARM_RATIO && !Boolean.FALSE.equals(c.hotKeysPresent());
            }
            ev.put(r, caches.isEmpty() ? "no data" : caches.stream().map(Telemetry.Cache::hitRatio).toList());
        }
        return new CheckResult("cache_rewarmed", pass, worst > 1 ? null : worst, PreChecks.CACHE_WARM_RATIO, ev);
    }

    private CheckResult webhookDuplicates(long nowMs) {
        Map<String, Object> ev = ledgers.webhookEvidence(nowMs, type.equals("webhook_reroute") ? plan.webhookPolicy().emitFrom() : null,
                webhooksRoutedMs);
        long repeated = (Long) ev.get("repeated_keys");
        long wrong = (Long) ev.get("from_wrong_region");
        ev.put("emit_from", plan.webhookPolicy().emitFrom());
        return new CheckResult("webhook_duplicates", repeated == 0 && wrong == 0, repeated, 0, ev);
    }

    private CheckResult authFailures() {
        return new CheckResult("auth_failures", live.authAfterFlip == 0, live.authAfterFlip, 0,
                Map.of("measure", "401/403 answers on serving regions after the route flip was applied"));
    }

    private CheckResult coldStartStorm() {
        double share = live.requestsAfterPromote == 0 ? 0 : (double) live.coldAfterPromote / live.requestsAfterPromote;
        LatencyStats cold = LatencyStats.of(live.coldLatency);
        double slo = slo(plan.promoteSurvivor());
        boolean storm = share > 0.2 && !cold.isEmpty() && cold.p95() > slo;
        Map<String, Object> ev = new TreeMap<>();
        ev.put("region", plan.promoteSurvivor());
        ev.put("cold_requests", live.coldAfterPromote);
        ev.put("requests", live.requestsAfterPromote);
        ev.put("cold_latency", cold.toEvidence());
        ev.put("slo_p95_ms", slo == Double.MAX_VALUE ? null : Numbers.round1(slo));
        ev.put("rule", "a storm is a cold share over 0.2 with cold p95 over the SLO");
        return new CheckResult("cold_start_storm", !storm, Numbers.round3(share), 0.2, ev);
    }

    // ------------------------------------------------------------------ return home

    private void returnHome(long nowMs) {
        List<String> homes = type.equals("index_skew") ? skewed : List.of(plan.evacuate());
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("home", homes);
        switch (home) {
            case START -> {
                homeStep = new CommandStep();
                artifactHash = agreedIndex(plan.promoteSurvivor()) == null ? null : agreedIndex(plan.promoteSurvivor()).indexHash();
                if (plan.returnToHome().rebuildFollower() && artifactHash != null) {
                    homes.forEach(h -> issue(nowMs, homeStep, "return_home.rebuild_from_artifact", evidence, new CommandBody.RebuildIndex(h, artifactHash)));
                    home = HomeStep.REBUILD;
                } else {
                    home = HomeStep.PARITY;
                }
            }
            case REBUILD -> awaitHomeAcks(nowMs, () -> home = HomeStep.PARITY);
            case PARITY -> {
                boolean parity = homes.stream().allMatch(h -> {
                    Telemetry.IndexMeta m = agreedIndex(h);
                    return m != null && (artifactHash == null || m.indexHash().equals(artifactHash));
                });
                if (parity) {
                    homeStep = new CommandStep();
                    if (plan.returnToHome().purgeCache()) {
                        homes.forEach(h -> issue(nowMs, homeStep, "return_home.purge_cache", evidence, new CommandBody.PurgeCache(h, null)));
                    }
                    homes.forEach(h -> issue(nowMs, homeStep, "return_home.rewarm_cache", evidence, new CommandBody.RewarmCache(h)));
                    home = HomeStep.CACHE;
                } else if (nowMs - phaseStartMs > plan.timeline().rebuildTimeoutS() * 1000L) {
                    verdict(nowMs, indexParity());
                    moveTo(nowMs, Phase.ABORTED);
                }
            }
            case CACHE -> awaitHomeAcks(nowMs, () -> {
                homeStep = new CommandStep();
                if (plan.freezeWritesOnFollowers() && !type.equals("index_skew")) {
                    issue(nowMs, homeStep, "return_home.unfreeze_writes", evidence, new CommandBody.UnfreezeWrites(homes));
                }
                home = HomeStep.UNFREEZE;
            });
            case UNFREEZE -> awaitHomeAcks(nowMs, () -> home = HomeStep.WEIGHTS);
            case WEIGHTS -> restoreWeights(nowMs, homes, evidence);
            case FINISH -> awaitHomeAcks(nowMs, () -> {
                Set<String> done = new TreeSet<>();
                if (type.equals("return_home")) {
                    postVerdicts(nowMs, done);
                    emitOnce(nowMs, done, cacheRewarmed());
                }
                finish(nowMs);
            });
            default -> {
            }
        }
    }

    /** Raises the home regions' weight along {@code gradual_weights}, each step after a healthy dwell. */
    private void restoreWeights(long nowMs, List<String> homes, Map<String, Object> evidence) {
        if (!homeStep.isEmpty() && !homeStep.allApplied()) {
            awaitHomeAcks(nowMs, () -> { });
            return;
        }
        boolean healthy = true;
        int window = Math.min(5, plan.detect().windowS());
        for (String h : homes) {
            RegionSignals s = regions.get(h);
            var errors = s.errors(nowMs, window);
            LatencyStats p = s.latency(nowMs, window, false);
            healthy &= errors.requests() > 0 && errors.rate() <= plan.detect().errorRate()
                    && !p.isEmpty() && p.p95() <= slo(h);
        }
        healthyS = healthy ? healthyS + 1 : 0;
        if (healthyS < Math.max(1, plan.routing().hysteresisS())) {
            return;
        }
        healthyS = 0;
        List<Integer> steps = plan.returnToHome().gradualWeights();
        // return_home: the home region takes g % of traffic at each step (100 = fully home);
        // index_skew: the rebuilt region comes back towards an even share (g % of it)
        int target = type.equals("index_skew")
                ? (int) Math.round(steps.get(weightStep) / 100.0 * (100 / plan.regions().size()) * homes.size())
                : steps.get(weightStep);
        TreeMap<String, Integer> w = new TreeMap<>();
        int perHome = target / homes.size();
        int rest = 100 - perHome * homes.size();
        List<String> others = plan.regions().stream().filter(r -> !homes.contains(r)).toList();
        for (String r : plan.regions()) {
            w.put(r, homes.contains(r) ? perHome : (others.isEmpty() ? 0 : rest / others.size()));
        }
        if (!others.isEmpty()) {
            w.merge(others.contains(plan.promoteSurvivor()) ? plan.promoteSurvivor() : others.get(0),
                    rest - (rest / others.size()) * others.size(), Integer::sum);
        }
        Map<String, Object> ev = new TreeMap<>(evidence);
        ev.put("step", (long) weightStep + 1);
        ev.put("of", (long) steps.size());
        ev.put("healthy_for_s", plan.routing().hysteresisS());
        homeStep = new CommandStep();
        issue(nowMs, homeStep, "return_home.gradual_weights", ev, new CommandBody.SetWeights(w));
        weightStep++;
        if (weightStep >= steps.size()) {
            home = HomeStep.FINISH;
        }
    }

    private void awaitHomeAcks(long nowMs, Runnable next) {
        List<Command> rejected = homeStep.rejected();
        if (!rejected.isEmpty()) {
            Map<String, Object> ev = new TreeMap<>(homeStep.evidence());
            ev.put("rejected", rejected.stream().map(Command::type).toList());
            log.verdict(nowMs, "return_home", false, null, "every command applied", ev);
            moveTo(nowMs, Phase.ABORTED);
        } else if (homeStep.allApplied() || homeStep.isEmpty()) {
            next.run();
        }
    }

    // ------------------------------------------------------------------ helpers

    private void finish(long nowMs) {
        if (machine.isTerminal()) {
            return;
        }
        moveTo(nowMs, Phase.CLOSEOUT);
        moveTo(nowMs, Phase.DONE);
    }

    /** Regions that currently carry traffic by the weights issued (all regions before any weights). */
    private Set<String> served() {
        Set<String> out = new TreeSet<>();
        if (safety.weights().isEmpty()) {
            out.addAll(plan.regions());
        } else {
            safety.weights().forEach((r, w) -> {
                if (w > 0) {
                    out.add(r);
                }
            });
        }
        return out;
    }

    private Map<String, Object> baselineEvidence(Map<String, LatencyStats> stats) {
        Map<String, Object> m = new TreeMap<>();
        stats.forEach((r, s) -> m.put(r, s.isEmpty() ? "no data" : Numbers.round1(s.p95())));
        return m;
    }

    private void verdict(long nowMs, CheckResult r) {
        log.verdict(nowMs, r.check(), r.pass(), r.value(), r.limit(), r.evidence());
    }

    /** Issues {@code body} (into {@code step}, if any) unless it would break a safety invariant. */
    private boolean issue(long nowMs, CommandStep step, String rule, Map<String, Object> evidence, CommandBody body) {
        if (machine.isTerminal()) {
            return false;
        }
        Optional<String> violation = safety.violation(body, nowMs, healthyRegions(), repairDone || type.equals("index_skew"));
        if (violation.isPresent()) {
            Map<String, Object> ev = new TreeMap<>();
            ev.put("refused", body.type());
            ev.put("payload", body.fields());
            ev.put("rule", violation.get());
            log.verdict(nowMs, "safety_invariant", false, body.type(), "no invariant broken", ev);
            moveTo(nowMs, Phase.ABORTED);
            return false;
        }
        safety.issued(body);
        if (body instanceof CommandBody.Stick s) {
            safety.stuck(s.region(), nowMs + s.minutes() * 60_000L);
        }
        Command c = log.command(nowMs, rule, evidence, body);
        issued.put(c.commandId(), c);
        if (step != null) {
            step.add(c);
        }
        return true;
    }

    /** Regions whose observers all report ready and that are not being evacuated. */
    private Set<String> healthyRegions() {
        Set<String> healthy = new TreeSet<>();
        for (RegionSignals r : regions.values()) {
            boolean ready = !r.health().isEmpty() && r.health().values().stream()
                    .allMatch(v -> v.value() == null || v.value().ready())
                    && r.health().values().stream().anyMatch(v -> v.value() != null);
            boolean leaving = !repairDone && !type.equals("index_skew") && r.region().equals(plan.evacuate());
            if (ready && !leaving && !skewedAndUnrepaired(r.region())) {
                healthy.add(r.region());
            }
        }
        return healthy;
    }

    private boolean skewedAndUnrepaired(String region) {
        if (!skewed.contains(region)) {
            return false;
        }
        Telemetry.IndexMeta m = agreedIndex(region);
        return m == null || !m.indexHash().equals(artifactHash);
    }

    private void moveTo(long nowMs, Phase to) {
        Phase from = machine.moveTo(to);
        phaseStartMs = nowMs;
        log.phase(nowMs, from, to);
    }
}

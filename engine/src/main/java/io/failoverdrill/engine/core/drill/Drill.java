package io.failoverdrill.engine.core.drill;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.failoverdrill.engine.core.check.CheckRegistry;
import io.failoverdrill.engine.core.check.CheckResult;
import io.failoverdrill.engine.core.check.CutoverTime;
import io.failoverdrill.engine.core.check.DrillFacts;
import io.failoverdrill.engine.core.check.LiveRecord;
import io.failoverdrill.engine.core.check.StickAnnouncements;
import io.failoverdrill.engine.core.check.Milestones;
import io.failoverdrill.engine.core.check.RegionHealth;
import io.failoverdrill.engine.core.check.SafetyRefusal;
import io.failoverdrill.engine.core.check.SurvivorHealthy;
import io.failoverdrill.engine.core.rule.DecisionLog;
import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.LedgerBook;
import io.failoverdrill.engine.core.signal.RagView;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.engine.core.signal.Sketches;
import io.failoverdrill.engine.core.time.EventClock;
import io.failoverdrill.engine.core.time.EventCounts;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One running drill: its plan, signals and records, and the steps every drill type shares — moving phases, issuing
 * commands under the safety invariants, emitting verdicts, the standard evacuation and promotion. Its
 * {@link DrillScript} decides which of them to take in each phase. Also the {@link DrillFacts} every check reads.
 */
public final class Drill implements DrillFacts {
    private final DrillPlan plan;
    private final Map<String, RegionSignals> regions;
    private final LedgerBook ledgers;
    private final DecisionLog log;
    private final EventCounts counts;
    private final EventClock clock;
    private final DrillScript script;
    private final PhaseMachine machine = new PhaseMachine();
    private final OperatorActions actions = new OperatorActions();
    private final Milestones milestones = new Milestones();
    private final CommandIssuer issuer;
    private final LiveRecord live = new LiveRecord();
    private final StickAnnouncements stickAnnouncements = new StickAnnouncements();
    private final Map<String, DDSketch> baseline = new LinkedHashMap<>();
    private final Map<String, DDSketch> observed = new LinkedHashMap<>();
    private final CommandStep evacuateStep;
    private final CommandStep promoteStep;
    private final SurvivorWatch survivorWatch = new SurvivorWatch();
    private final java.util.Set<String> verdictsIssued = new java.util.HashSet<>();
    private Map<String, RegionHealth> healthAtDecision = Map.of();
    private Map<String, Integer> preDrillWeights = Map.of();
    private boolean verified;
    private long phaseStartMs;
    private long nowMs;
    private RagView ragBefore;
    private long ragSinceMs = Long.MIN_VALUE;

    public Drill(DrillPlan plan, Map<String, RegionSignals> regions, LedgerBook ledgers, DecisionLog log,
                 EventCounts counts, EventClock clock) {
        this.plan = plan;
        this.regions = regions;
        this.ledgers = ledgers;
        this.log = log;
        this.counts = counts;
        this.clock = clock;
        this.script = DrillScripts.create(plan.drillType());
        this.issuer = new CommandIssuer(plan.regions(), log, milestones);
        this.evacuateStep = issuer.newStep();
        this.promoteStep = issuer.newStep();
        for (String r : plan.regions()) {
            baseline.put(r, Sketches.newLatencySketch());
            observed.put(r, Sketches.newLatencySketch());
        }
    }

    // ------------------------------------------------------------------ facts the checks read

    @Override
    public DrillPlan plan() {
        return plan;
    }

    @Override
    public long nowMs() {
        return nowMs;
    }

    @Override
    public Map<String, RegionSignals> regions() {
        return regions;
    }

    @Override
    public LedgerBook ledgers() {
        return ledgers;
    }

    @Override
    public LiveRecord live() {
        return live;
    }

    @Override
    public StickAnnouncements stickAnnouncements() {
        return stickAnnouncements;
    }

    /** A request event taken (not late, not a repeat): what its response announced counts once evacuation began. */
    public void requestSeen(long tsMs, io.failoverdrill.schemas.event.Telemetry.Request r) {
        if (milestones.evacuationStarted()) {
            stickAnnouncements.request(tsMs, r);
        }
    }

    @Override
    public Milestones milestones() {
        return milestones;
    }

    @Override
    public LatencyStats baseline(String region) {
        DDSketch s = baseline.get(region);
        return s == null ? LatencyStats.EMPTY : LatencyStats.of(s);
    }

    @Override
    public LatencyStats observed(String region) {
        return LatencyStats.of(observed.get(region));
    }

    @Override
    public Set<String> served() {
        Set<String> out = new TreeSet<>();
        Map<String, Integer> weights = issuer.weights();
        if (weights.isEmpty()) {
            out.addAll(plan.regions());
        } else {
            weights.forEach((r, w) -> {
                if (w > 0) {
                    out.add(r);
                }
            });
        }
        return out;
    }

    @Override
    public double slo(String region) {
        if (plan.detect().p95Ms() != null) {
            return plan.detect().p95Ms();
        }
        LatencyStats b = baseline(region);
        return b.isEmpty() ? Double.MAX_VALUE : b.p95() * plan.acceptance().p95RatioMax();
    }

    @Override
    public RagView ragBefore() {
        return ragBefore;
    }

    @Override
    public long ragSinceMs() {
        return ragSinceMs;
    }

    @Override
    public long lateEvents() {
        return counts.late();
    }

    @Override
    public Map<String, RegionHealth> healthAtDecision() {
        return healthAtDecision;
    }

    @Override
    public boolean ragBeforeIsInjectedFault() {
        return script.scenario().timing() == Scenario.FaultTiming.BEFORE_START;
    }

    // ------------------------------------------------------------------ state the phase loop and scripts share

    DrillScript script() {
        return script;
    }

    EventClock clock() {
        return clock;
    }

    OperatorActions actions() {
        return actions;
    }

    CommandIssuer issuer() {
        return issuer;
    }

    CommandStep evacuateStep() {
        return evacuateStep;
    }

    CommandStep promoteStep() {
        return promoteStep;
    }

    Map<String, DDSketch> baselineSketches() {
        return baseline;
    }

    Map<String, DDSketch> observedSketches() {
        return observed;
    }

    void tick(long nowMs) {
        this.nowMs = nowMs;
    }

    /** Fixes the "before" of the drill's RAG checks (taken at the gate). */
    void ragBefore(RagView view) {
        this.ragBefore = view;
    }

    /** From {@code sinceMs} on, answers describe the index the drill rebuilt; older ones are no longer used. */
    void ragAnswersSince(long sinceMs) {
        this.ragSinceMs = sinceMs;
    }

    boolean repairDone() {
        return actions.repairDone();
    }

    Phase phase() {
        return machine.current();
    }

    boolean isTerminal() {
        return machine.isTerminal();
    }

    long phaseStartMs() {
        return phaseStartMs;
    }

    // ------------------------------------------------------------------ shared steps

    void moveTo(long nowMs, Phase to) {
        Phase from = machine.moveTo(to);
        phaseStartMs = nowMs;
        if (to == Phase.PRECHECK) {
            milestones.started(nowMs);
        }
        log.phase(nowMs, from, to);
    }

    /**
     * An emergency stop: a drill under way ends {@code stopped} at the last tick, with the stop as evidence, and
     * issues nothing more; an idle or finished drill is left as it is.
     */
    void stop(Map<String, Object> evidence) {
        if (machine.current() == Phase.IDLE || machine.isTerminal()) {
            return;
        }
        Phase from = machine.moveTo(Phase.STOPPED);
        phaseStartMs = nowMs;
        log.phase(nowMs, from, Phase.STOPPED, evidence);
    }

    /** Logs verdict {@code r} — once per check name per drill ({@code not_applicable} where the plan says so). */
    void emit(long nowMs, CheckResult r) {
        if (!verdictsIssued.add(r.check())) {
            return;
        }
        CheckResult planned = CheckRegistry.asPlanned(plan, r);
        log.verdict(nowMs, planned.check(), planned.status(), planned.value(), planned.limit(), planned.evidenceJson());
    }

    void emitAll(long nowMs, List<CheckResult> results) {
        results.forEach(r -> emit(nowMs, r));
    }

    /** The drill ends well: closeout, then done. */
    void finish(long nowMs) {
        if (machine.isTerminal()) {
            return;
        }
        moveTo(nowMs, Phase.CLOSEOUT);
        moveTo(nowMs, Phase.DONE);
    }

    /**
     * Issues {@code body} (into {@code step}, if any) unless it would break a safety invariant; a refused command
     * is logged as a failed {@code safety_invariant} verdict and aborts the drill. Returns whether it was issued.
     */
    boolean issue(long nowMs, CommandStep step, String rule, Map<String, Object> evidence, CommandBody body) {
        if (machine.isTerminal()) {
            return false;
        }
        Optional<String> violation = issuer.violation(body, nowMs, healthyRegions(), actions.repairDone());
        if (violation.isPresent()) {
            emit(nowMs, SafetyRefusal.verdict(body, violation.get()));
            moveTo(nowMs, Phase.ABORTED);
            return false;
        }
        issuer.issue(nowMs, step, rule, evidence, body);
        return true;
    }

    /** Regions healthy by the detection rule ({@link TargetHealth}) now, that the script does not hold back. */
    Set<String> healthyRegions() {
        Set<String> held = script.notServable(this);
        Set<String> healthy = new TreeSet<>();
        for (RegionSignals r : regions.values()) {
            if (!held.contains(r.region()) && TargetHealth.of(plan, r, clock, nowMs).healthy()) {
                healthy.add(r.region());
            }
        }
        return healthy;
    }

    /**
     * The evacuation decision at {@code nowMs}. Every region that would take traffic is judged by the detection rule
     * first: without a healthy promoted survivor nothing moves — {@code survivor_healthy} fails, the weights stay as
     * they are (fail open) and the drill aborts. Otherwise phase {@code evacuate}, then the script's commands.
     */
    void evacuate(long nowMs, String rulePrefix, Map<String, Object> evidence) {
        Set<String> held = script.notServable(this);
        Map<String, RegionHealth> targets = new TreeMap<>();
        for (RegionSignals r : regions.values()) {
            if (!held.contains(r.region())) {
                targets.put(r.region(), TargetHealth.of(plan, r, clock, nowMs));
            }
        }
        List<String> unhealthy = targets.values().stream().filter(h -> !h.healthy()).map(RegionHealth::region).toList();
        RegionHealth survivor = targets.get(plan.promoteSurvivor());
        if (survivor == null || !survivor.healthy()) {
            emit(nowMs, SurvivorHealthy.blocked(targets, unhealthy));
            moveTo(nowMs, Phase.ABORTED);
            return;
        }
        healthAtDecision = targets;
        preDrillWeights = issuer.weights().isEmpty() ? Weights.even(plan.regions()) : new TreeMap<>(issuer.weights());
        moveTo(nowMs, Phase.EVACUATE);
        milestones.evacuationDecided(nowMs);
        evidence.put("faults_announced", actions.faultEvidence());
        evidence.put("unhealthy_targets", unhealthy);
        script.evacuate(this, nowMs, rulePrefix, evidence);
    }

    /**
     * The weights after draining {@code leaving}: they and every target found unhealthy at the decision get 0, the
     * healthy survivors share the rest in proportion to their current weights ({@code routing.mode}).
     */
    TreeMap<String, Integer> drained(List<String> leaving) {
        Set<String> excluded = new TreeSet<>(leaving);
        healthAtDecision.values().stream().filter(h -> !h.healthy()).forEach(h -> excluded.add(h.region()));
        return Weights.drain(plan.regions(), preDrillWeights, excluded, plan.promoteSurvivor(), plan.routing().mode());
    }

    /** The weights before the drill moved any (even, when none had been issued). */
    Map<String, Integer> preDrillWeights() {
        return preDrillWeights;
    }

    /** The standard evacuation: freeze the followers' writes (when the plan says so), drain the evacuated region. */
    void freezeFollowersAndDrain(long nowMs, String rulePrefix, Map<String, Object> evidence) {
        if (plan.freezeWritesOnFollowers()) {
            issue(nowMs, evacuateStep, rulePrefix + ".freeze_followers", evidence,
                    new CommandBody.FreezeWrites(plan.followers(), "enqueue"));
        }
        issue(nowMs, evacuateStep, rulePrefix + ".drain_region", evidence,
                new CommandBody.SetWeights(drained(List.of(plan.evacuate()))));
    }

    /** Every cutover command was applied: {@code cutover_time} from the decision to the last ack, then observe. */
    void cutoverDone(long nowMs) {
        long lastAck = Math.max(evacuateStep.lastAckMs(), promoteStep.lastAckMs());
        emit(nowMs, CutoverTime.clean(plan.acceptance().cutoverS(), milestones.evacuateDecisionMs(), lastAck,
                cutoverCommands()));
        moveTo(nowMs, Phase.OBSERVE);
    }

    /** The cutover's commands as evidence: per command type, its seq and ack. */
    Map<String, Object> cutoverCommands() {
        Map<String, Object> commands = new TreeMap<>(evacuateStep.evidence());
        commands.putAll(promoteStep.evidence());
        return commands;
    }

    /**
     * A serving region went down by the detection rule after the cutover: {@code survivor_healthy} fails, no further
     * cutover, the drill aborts. Returns whether that happened this tick.
     */
    boolean survivorWentDown(long nowMs) {
        var down = survivorWatch.evaluate(this, nowMs);
        down.ifPresent(detection -> {
            emit(nowMs, SurvivorHealthy.downAfterCutover(detection));
            moveTo(nowMs, Phase.ABORTED);
        });
        return down.isPresent();
    }

    /** Phase {@code promote}, with the evacuation's acks as evidence; the script issues the promotion. */
    void promote(long nowMs) {
        moveTo(nowMs, Phase.PROMOTE);
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("evacuate_acks", evacuateStep.evidence());
        script.promote(this, nowMs, evidence);
    }

    /** The standard promotion: exactly one writer, then sticky sessions to it. Returns whether the writer was promoted. */
    boolean promoteSurvivor(long nowMs, Map<String, Object> evidence) {
        if (!issue(nowMs, promoteStep, "promote.single_writer", evidence, new CommandBody.PromoteWriter(plan.promoteSurvivor()))) {
            return false;
        }
        issue(nowMs, promoteStep, "promote.stick_sessions", evidence,
                new CommandBody.Stick(plan.promoteSurvivor(), plan.routing().stickMinutes()));
        return true;
    }

    /**
     * Verification after the cutover (seed runbook step 5): the live checks and every acceptance target — once the
     * backlog drained or its target passed. False while waiting.
     */
    boolean verdictsAfterCutover(long nowMs) {
        if (backlogStillDraining(nowMs)) {
            return false;
        }
        emitAll(nowMs, CheckRegistry.afterCutover(this));
        verified = true;
        return true;
    }

    /** Whether the after-cutover verdicts were issued. */
    boolean verified() {
        return verified;
    }

    /** Closeout (seed runbook step 7): parity, contracts, RAG quality and answers, the plan's post checks. */
    void postVerdicts(long nowMs, boolean withCacheRewarmed) {
        emitAll(nowMs, CheckRegistry.post(this, new RagView(regions.values(), null, ragSinceMs), withCacheRewarmed));
    }

    /** Whether the backlog may still drain within its target: verification waits for it. */
    boolean backlogStillDraining(long nowMs) {
        return live.backlogSeen() && live.backlogDrainedMs() == Long.MIN_VALUE
                && nowMs - milestones.evacuateDecisionMs() < plan.acceptance().backlogDrainS() * 1000;
    }
}

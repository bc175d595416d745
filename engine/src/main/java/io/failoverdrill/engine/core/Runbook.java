package io.failoverdrill.engine.core;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.engine.core.signal.Sketches;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
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
 * The seed's runbook as steps taken on whole seconds of event time: pre-checks (baseline window) → evacuate
 * (freeze followers, weights away from the evacuated region) → promote (one writer, stick) → observe → verify →
 * closeout. Each step waits for the acks of the step before it; every command passes {@link SafetyInvariants}
 * first, and one that would break an invariant is refused with a failing {@code safety_invariant} verdict.
 */
final class Runbook {
    private final DrillPlan plan;
    private final Map<String, RegionSignals> regions;
    private final DecisionLog log;
    private final DrillCore.EventCounts counts;
    private final PhaseMachine machine = new PhaseMachine();
    private final SafetyInvariants safety;
    private final PreChecks preChecks;

    private boolean startRequested;
    private boolean abortRequested;
    private final List<ControlEvent> faults = new ArrayList<>();

    private long phaseStartMs;
    private long evacuateDecisionMs = Long.MIN_VALUE;
    private final CommandStep evacuateStep = new CommandStep();
    private final CommandStep promoteStep = new CommandStep();
    private final Map<String, DDSketch> baseline = new LinkedHashMap<>();
    private final Map<String, DDSketch> observed = new LinkedHashMap<>();

    Runbook(DrillPlan plan, Map<String, RegionSignals> regions, DecisionLog log, DrillCore.EventCounts counts) {
        this.plan = plan;
        this.regions = regions;
        this.log = log;
        this.counts = counts;
        this.safety = new SafetyInvariants(plan.regions());
        this.preChecks = new PreChecks(plan, regions);
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

    boolean issued(String commandId) {
        return evacuateStep.contains(commandId) || promoteStep.contains(commandId);
    }

    /** A control or ack event whose time has come. */
    void apply(InputEvent e) {
        if (e instanceof ControlEvent c) {
            switch (c.action()) {
                case "start" -> startRequested = true;
                case "abort" -> abortRequested = true;
                case "fault" -> faults.add(c);
                default -> {
                    // repair_done belongs to return-to-home
                }
            }
        } else if (e instanceof AckEvent a) {
            evacuateStep.ack(a);
            promoteStep.ack(a);
            for (Command c : evacuateStep.commands()) {
                if (c.commandId().equals(a.commandId()) && a.applied()
                        && c.body() instanceof CommandBody.FreezeWrites f) {
                    safety.frozen(f.regions());
                }
            }
        }
    }

    /** Second {@code sec} is final: fold it into the phase-scoped latency accumulators. */
    void sealedSecond(long sec) {
        Phase p = machine.current();
        if (p == Phase.PRECHECK) {
            baseline.forEach((region, sketch) -> regions.get(region).mergeSecondInto(sec, false, sketch));
        } else if (p == Phase.OBSERVE && sec * 1000 >= phaseStartMs) {
            observed.forEach((region, sketch) -> regions.get(region).mergeSecondInto(sec, false, sketch));
        }
    }

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
        switch (machine.current()) {
            case IDLE -> {
                if (startRequested) {
                    moveTo(nowMs, Phase.PRECHECK);
                }
            }
            case PRECHECK -> {
                if (nowMs - phaseStartMs >= plan.timeline().baselineS() * 1000L) {
                    gate(nowMs);
                }
            }
            case EVACUATE -> awaitAcks(nowMs, evacuateStep, () -> promote(nowMs));
            case PROMOTE -> awaitAcks(nowMs, promoteStep, () -> cutoverDone(nowMs));
            case OBSERVE -> {
                if (nowMs - phaseStartMs >= plan.timeline().observeS() * 1000L) {
                    moveTo(nowMs, Phase.VERIFY);
                    verify(nowMs);
                    moveTo(nowMs, Phase.CLOSEOUT);
                    moveTo(nowMs, Phase.DONE);
                }
            }
            default -> {
            }
        }
    }

    private void gate(long nowMs) {
        Map<String, LatencyStats> stats = new TreeMap<>();
        baseline.forEach((r, s) -> stats.put(r, LatencyStats.of(s)));
        boolean pass = true;
        Map<String, Object> summary = new TreeMap<>();
        for (PreChecks.Result r : preChecks.evaluate(stats)) {
            log.verdict(nowMs, r.check(), r.pass(), r.value(), r.limit(), r.evidence());
            summary.put(r.check(), r.pass() ? "pass" : "fail");
            pass &= r.pass();
        }
        if (!pass) {
            moveTo(nowMs, Phase.ABORTED);
            return;
        }
        moveTo(nowMs, Phase.EVACUATE);
        evacuateDecisionMs = nowMs;
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("prechecks", summary);
        evidence.put("baseline", baselineEvidence(stats));
        if (!faults.isEmpty()) {
            evidence.put("faults", faults.stream().map(f -> f.fault().kind() + "@" + f.fault().region()).toList());
        }
        if (plan.freezeWritesOnFollowers()) {
            issue(nowMs, evacuateStep, "evacuate.freeze_followers", evidence,
                    new CommandBody.FreezeWrites(plan.followers(), "enqueue"));
        }
        issue(nowMs, evacuateStep, "evacuate.drain_region", evidence, new CommandBody.SetWeights(drainWeights()));
    }

    private Map<String, Object> baselineEvidence(Map<String, LatencyStats> stats) {
        Map<String, Object> m = new TreeMap<>();
        stats.forEach((r, s) -> m.put(r, s.isEmpty() ? "no data" : Numbers.round1(s.p95())));
        return m;
    }

    /** Weight 0 for the evacuated region; 100 split over the others, the remainder to the survivor. */
    private TreeMap<String, Integer> drainWeights() {
        List<String> serving = plan.regions().stream().filter(r -> !r.equals(plan.evacuate())).toList();
        TreeMap<String, Integer> w = new TreeMap<>();
        int share = 100 / serving.size();
        for (String r : plan.regions()) {
            w.put(r, r.equals(plan.evacuate()) ? 0 : share);
        }
        w.merge(plan.promoteSurvivor(), 100 - share * serving.size(), Integer::sum);
        return w;
    }

    private void promote(long nowMs) {
        moveTo(nowMs, Phase.PROMOTE);
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("evacuate_acks", evacuateStep.evidence());
        if (issue(nowMs, promoteStep, "promote.single_writer", evidence,
                new CommandBody.PromoteWriter(plan.promoteSurvivor()))) {
            issue(nowMs, promoteStep, "promote.stick_sessions", evidence,
                    new CommandBody.Stick(plan.promoteSurvivor(), plan.routing().stickMinutes()));
        }
    }

    private void cutoverDone(long nowMs) {
        long lastAck = Math.max(evacuateStep.lastAckMs(), promoteStep.lastAckMs());
        double seconds = Numbers.round3((lastAck - evacuateDecisionMs) / 1000.0);
        Map<String, Object> evidence = cutoverEvidence();
        evidence.put("last_ack_ms_after_decision", lastAck - evacuateDecisionMs);
        log.verdict(nowMs, "cutover_time", seconds <= plan.acceptance().cutoverS(), seconds,
                plan.acceptance().cutoverS(), evidence);
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

    private void verify(long nowMs) {
        Set<String> served = new TreeSet<>();
        safety.weights().forEach((r, w) -> {
            if (w > 0) {
                served.add(r);
            }
        });
        for (String region : served) {
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
            log.verdict(nowMs, "p95_ratio", pass, ratio, plan.acceptance().p95RatioMax(), evidence);
        }
    }

    /** Issues {@code body} into {@code step} unless it would break a safety invariant. */
    private boolean issue(long nowMs, CommandStep step, String rule, Map<String, Object> evidence, CommandBody body) {
        if (machine.isTerminal()) {
            return false;
        }
        Optional<String> violation = safety.violation(body, nowMs, healthyRegions());
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
        step.add(log.command(nowMs, rule, evidence, body));
        return true;
    }

    /** Regions that are not the evacuated one and whose observers all report ready. */
    private Set<String> healthyRegions() {
        Set<String> healthy = new TreeSet<>();
        for (RegionSignals r : regions.values()) {
            boolean ready = !r.health().isEmpty() && r.health().values().stream()
                    .allMatch(v -> v.value() != null && v.value().ready());
            if (ready && !r.region().equals(plan.evacuate())) {
                healthy.add(r.region());
            }
        }
        return healthy;
    }

    private void moveTo(long nowMs, Phase to) {
        Phase from = machine.moveTo(to);
        phaseStartMs = nowMs;
        log.phase(nowMs, from, to);
    }
}

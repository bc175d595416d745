package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.CheckRegistry;
import io.failoverdrill.engine.core.check.CheckResult;
import io.failoverdrill.engine.core.check.CutoverTime;
import io.failoverdrill.engine.core.check.OperatorAbort;
import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RagView;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runbook's loop, one tick per whole second of event time: an operator's abort first, then the current phase —
 * idle → precheck (baseline window, then the gate) → evacuate → promote (each waiting for its acks within the
 * cutover target) → observe → verify → return home → closeout. What happens inside a phase that differs by drill
 * type is asked of the drill's {@link DrillScript}.
 */
public final class PhaseLoop {
    private final Drill d;
    private final Observation observation = new Observation();
    private boolean gated;

    public PhaseLoop(Drill drill) {
        this.d = drill;
    }

    public Phase phase() {
        return d.phase();
    }

    /** A control or ack event whose time has come. */
    public void apply(InputEvent e) {
        if (e instanceof ControlEvent c) {
            d.actions().apply(c);
        } else if (e instanceof AckEvent a) {
            d.issuer().ack(a);
        }
    }

    /** An emergency stop covering this drill: see {@link Drill#stop}. */
    public void stop(Map<String, Object> evidence) {
        d.stop(evidence);
    }

    /** Second {@code sec} is final: fold it into the baseline or observation windows and the drill's live record. */
    public void sealedSecond(long sec) {
        Phase p = d.phase();
        if (p == Phase.PRECHECK && !gated) {
            d.baselineSketches().forEach((region, sketch) -> d.regions().get(region).mergeSecondInto(sec, false, sketch));
        } else if (p == Phase.OBSERVE && sec * 1000 >= d.phaseStartMs()) {
            d.observedSketches().forEach((region, sketch) -> d.regions().get(region).mergeSecondInto(sec, false, sketch));
        }
        if (p == Phase.IDLE || d.isTerminal()) {
            return;
        }
        d.live().sealedSecond(sec, d.regions(), d.served(), d.plan().detect().errorRate(), d.milestones());
    }

    /** One tick at event time {@code nowMs}. */
    public void step(long nowMs) {
        if (d.isTerminal()) {
            return;
        }
        d.tick(nowMs);
        if (d.actions().abortRequested() && d.phase() != Phase.IDLE) {
            d.emit(nowMs, OperatorAbort.verdict(d.phase()));
            d.moveTo(nowMs, Phase.ABORTED);
            return;
        }
        d.live().backlogAt(nowMs, longestBacklog(), d.milestones());
        DrillScript script = d.script();
        switch (d.phase()) {
            case IDLE -> {
                if (d.actions().startRequested()) {
                    d.moveTo(nowMs, Phase.PRECHECK);
                }
            }
            case PRECHECK -> {
                if (!gated && nowMs - d.phaseStartMs() >= d.plan().timeline().baselineS() * 1000L) {
                    gate(nowMs);
                } else if (gated) {
                    script.armed(d, nowMs);
                }
            }
            case EVACUATE -> awaitCutoverAcks(nowMs, d.evacuateStep(), () -> script.evacuated(d, nowMs));
            case PROMOTE -> awaitCutoverAcks(nowMs, d.promoteStep(), () -> d.cutoverDone(nowMs));
            case OBSERVE -> {
                if (!d.survivorWentDown(nowMs)) {
                    observation.step(d, nowMs);
                }
            }
            case VERIFY -> {
                if (d.verified() || !d.survivorWentDown(nowMs)) {
                    script.verify(d, nowMs);
                }
            }
            case RETURN_HOME -> script.returnHome(d, nowMs);
            default -> {
            }
        }
    }

    private long longestBacklog() {
        return d.regions().values().stream().mapToLong(RegionSignals::backlogLength).max().orElse(-1);
    }

    /** The gate (seed runbook step 1): the pre-checks' verdicts; all pass → the script evacuates or arms. */
    private void gate(long nowMs) {
        gated = true;
        Map<String, Object> baselineP95 = new TreeMap<>();
        for (String r : d.plan().regions()) {
            LatencyStats s = d.baseline(r);
            baselineP95.put(r, s.isEmpty() ? "no data" : Numbers.round1(s.p95()));
        }
        boolean pass = true;
        Map<String, Object> summary = new TreeMap<>();
        for (CheckResult checked : d.script().preChecks(d)) {
            CheckResult r = CheckRegistry.asPlanned(d.plan(), checked);
            d.emit(nowMs, r);
            summary.put(r.check(), r.status().wire());
            pass &= !r.failed();
        }
        d.live().backlogBaseline(longestBacklog());
        d.ragBefore(new RagView(d.regions().values(), null));
        if (!pass) {
            d.moveTo(nowMs, Phase.ABORTED);
            return;
        }
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("prechecks", summary);
        evidence.put("baseline_p95_ms", baselineP95);
        d.script().gatePassed(d, nowMs, evidence);
    }

    /** Waits for every ack of {@code step}; a rejection or the cutover deadline fails the cutover and aborts. */
    private void awaitCutoverAcks(long nowMs, CommandStep step, Runnable next) {
        List<Command> rejected = step.rejected();
        double limitS = d.plan().acceptance().cutoverS();
        long decision = d.milestones().evacuateDecisionMs();
        if (!rejected.isEmpty() || nowMs - decision > limitS * 1000) {
            d.emit(nowMs, CutoverTime.failed(limitS, decision, nowMs, d.cutoverCommands(),
                    rejected.stream().map(Command::type).toList()));
            d.moveTo(nowMs, Phase.ABORTED);
        } else if (step.allApplied()) {
            next.run();
        }
    }

    /**
     * What an operator watching the drill needs at event time {@code nowMs}: the phase, how long it has run, the
     * countdown it is waiting on (baseline, observation, rebuild timeout) and any detection dwell in progress.
     */
    public Map<String, Object> progress(long nowMs) {
        Map<String, Object> m = new TreeMap<>();
        Phase phase = d.phase();
        m.put("phase", phase.wire());
        if (phase == Phase.IDLE || d.isTerminal()) {
            return m;
        }
        long inPhaseS = Math.max(0, (nowMs - d.phaseStartMs()) / 1000);
        m.put("in_phase_s", inPhaseS);
        String verifyWaiting = d.script().verifyWaiting(inPhaseS, d.plan().timeline().rebuildTimeoutS());
        if (phase == Phase.PRECHECK && !gated) {
            m.put("waiting", "baseline " + inPhaseS + "/" + d.plan().timeline().baselineS() + " s");
        } else if (phase == Phase.OBSERVE) {
            m.put("waiting", "observe " + inPhaseS + "/" + d.plan().timeline().observeS() + " s");
        } else if (phase == Phase.VERIFY && verifyWaiting != null) {
            m.put("waiting", verifyWaiting);
        } else if (phase == Phase.EVACUATE || phase == Phase.PROMOTE) {
            m.put("waiting", "acks of the " + phase.wire() + " commands");
        }
        String dwell = d.script().dwell();
        if (dwell != null) {
            m.put("dwell", dwell);
        }
        return m;
    }
}

package io.failoverdrill.engine.core;

import io.failoverdrill.engine.core.drill.Drill;
import io.failoverdrill.engine.core.drill.PhaseLoop;
import io.failoverdrill.engine.core.rule.DecisionLog;
import io.failoverdrill.engine.core.signal.LedgerBook;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.engine.core.time.EventCounts;
import io.failoverdrill.engine.core.time.EventIntake;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's brain for one drill: a pure function of (plan, events in arrival order) → decisions. No I/O, no
 * wall clock, no randomness.
 *
 * <p>Telemetry is aggregated into per-second buckets as it arrives; decisions are taken only on whole seconds of
 * the watermark ({@link EventClock}), each tick seeing exactly the seconds the watermark has passed. Control and
 * ack events do not move time: they wait until the watermark passes their {@code ts} and are then applied in
 * ({@code ts}, {@code event_id}) order; an ack for a command this drill did not issue (by then) is ignored.
 * Duplicated event ids are dropped; telemetry behind the watermark is late
 * and counted, never used; a late control or ack event is counted and applied at the next tick (an operator's
 * abort must not be lost). An emergency stop ({@link StopEvent}) is the exception: it acts on arrival.
 */
public final class DrillCore implements DecisionCore {
    private static final Comparator<InputEvent> BY_TIME =
            Comparator.comparingLong(InputEvent::tsMs).thenComparing(InputEvent::eventId);

    private final DrillPlan plan;
    private final EventIntake intake;
    private final Map<String, RegionSignals> regions = new LinkedHashMap<>();
    private final List<InputEvent> pendingActions = new ArrayList<>();
    private final PhaseLoop runbook;
    private final Drill drill;
    private final DecisionLog log;
    private final LedgerBook ledgers;
    private final EventCounts counts;
    private final EmergencyStops stops = new EmergencyStops();

    public DrillCore(DrillPlan plan) {
        this.plan = plan;
        long staleMs = plan.timeline().staleObserverS() * 1000L;
        this.intake = new EventIntake(plan.allowedLatenessMs(), staleMs);
        this.counts = intake.counts();
        int ahead = (int) ((plan.allowedLatenessMs() + staleMs) / 1000) + 3;
        int capacity = plan.detect().windowS() + ahead;
        for (String r : plan.regions()) {
            regions.put(r, new RegionSignals(r, capacity));
        }
        this.log = new DecisionLog(plan.drillId());
        this.ledgers = new LedgerBook(plan.webhookPolicy().keyFields());
        this.drill = new Drill(plan, regions, ledgers, log, counts, intake.clock());
        this.runbook = new PhaseLoop(drill);
    }

    @Override
    public String id() {
        return plan.drillId();
    }

    /** Feeds one event; returns the decisions it caused (often none), in log order. */
    @Override
    public List<Decision> accept(InputEvent event) {
        if (event instanceof StopEvent s) {
            acceptStop(s);
            return log.drain();
        }
        if (!intake.firstTime(event)) {
            return List.of();
        }
        if (event instanceof TelemetryEvent t) {
            acceptTelemetry(t);
        } else {
            acceptAction(event);
        }
        return log.drain();
    }

    private void acceptTelemetry(TelemetryEvent t) {
        if (intake.late(t.tsMs())) {
            return;
        }
        RegionSignals signals = regions.get(t.region());
        boolean ours = t.drillId() == null || t.drillId().equals(plan.drillId());
        if (ours && t.payload() instanceof Telemetry.Write w) {
            ledgers.write(w, t.tsMs());
            counts.countUsed();
        } else if (ours && t.payload() instanceof Telemetry.Webhook h) {
            ledgers.webhook(h, t.eventId(), t.tsMs());
            counts.countUsed();
        } else if (signals != null && ours) {
            if (signals.record(t)) {
                counts.countUsed();
                if (t.payload() instanceof Telemetry.Request r) {
                    drill.requestSeen(t.tsMs(), r);
                }
            } else {
                counts.countTooFarAhead();
            }
        }
        intake.observed(t.observer(), t.tsMs(), this::tick);
    }

    @Override
    public String refusal(InputEvent event) {
        return isOurStart(event) ? stops.refusesStart(plan.drillId()) : null;
    }

    private boolean isOurStart(InputEvent e) {
        return e instanceof ControlEvent c && c.starts(plan.drillId());
    }

    /**
     * An emergency stop acts on arrival: a drill under way stops at once (no command after it), a start not yet
     * applied is dropped, and starts are refused until the stop is cleared.
     */
    private void acceptStop(StopEvent s) {
        stops.apply(s);
        if (s.clear() || !s.covers(plan.drillId())) {
            return;
        }
        pendingActions.removeIf(this::isOurStart);
        runbook.stop(EmergencyStops.evidence(s));
    }

    private void acceptAction(InputEvent e) {
        String drillId = e instanceof ControlEvent c ? c.drillId() : null;
        if (drillId != null && !drillId.equals(plan.drillId())) {
            return;
        }
        if (refusal(e) != null) {
            return;
        }
        intake.late(e.tsMs()); // counted; still applied at the next tick
        counts.countUsed();
        pendingActions.add(e);
    }

    /** One whole second of event time: seal the second that ended, apply due actions, run the runbook. */
    private void tick(long nowMs) {
        for (RegionSignals r : regions.values()) {
            r.sealUntil(nowMs);
        }
        runbook.sealedSecond(nowMs / 1000 - 1);
        if (!pendingActions.isEmpty()) {
            pendingActions.sort(BY_TIME);
            while (!pendingActions.isEmpty() && pendingActions.get(0).tsMs() < nowMs) {
                runbook.apply(pendingActions.remove(0));
            }
        }
        runbook.step(nowMs);
    }

    public Phase phase() {
        return runbook.phase();
    }

    @Override
    public long allowedLatenessMs() {
        return plan.allowedLatenessMs();
    }

    /** The {@code seq} of the last decision made (0 before any). */
    @Override
    public long lastSeq() {
        return log.lastSeq();
    }

    public long watermarkMs() {
        return intake.clock().watermark();
    }

    public EventCounts counts() {
        return counts;
    }

    /** Live telemetry observers (for progress displays). */
    public int liveObservers() {
        return intake.clock().liveObservers();
    }

    @Override
    public Map<String, Object> progress() {
        long now = intake.clock().watermark();
        if (now == Long.MIN_VALUE) {
            return Map.of("phase", phase().wire(), "waiting", "telemetry");
        }
        Map<String, Object> m = new java.util.TreeMap<>(runbook.progress(Math.floorDiv(now, 1000) * 1000));
        m.put("watermark_ms", now);
        m.put("observers", intake.clock().liveObservers());
        m.put("regions", Signals.summary(regions.values(), now, plan.detect().windowS()));
        return m;
    }

    @Override
    public int clampsInForce() {
        return log.clampsInForce();
    }

    @Override
    public boolean dryRun() {
        return plan.dryRun();
    }

    public DrillPlan plan() {
        return plan;
    }
}

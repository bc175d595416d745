package io.failoverdrill.engine.testing;

import io.failoverdrill.engine.core.DecisionCore;
import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Drives one decision core the way the engine's runtime would, without Kafka — after Kafka Streams'
 * {@code TopologyTestDriver}: {@link #pipe} an event, {@link #ack} or {@link #reject} a command as an actuator
 * would, {@link #advanceEventTime} by heartbeats of every observer seen, and read the decisions. Everything piped
 * is kept in arrival order ({@link #inputs()}), so a test's world can be written out as an event file and replayed.
 * Not thread-safe; pure (no clock, no I/O).
 */
public final class DrillTestDriver {
    private final DecisionCore core;
    private final String id;
    private final String firstRegion;
    private final String survivor;
    private final List<InputEvent> inputs = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final TreeMap<String, Long> observerClocks = new TreeMap<>();
    private boolean viaCodec;
    private long order;

    private DrillTestDriver(DecisionCore core, DrillPlan plan) {
        this.core = core;
        this.id = plan.drillId();
        this.firstRegion = plan.regions().get(0);
        this.survivor = plan.promoteSurvivor();
    }

    /** A driver for a drill of {@code plan}. */
    public static DrillTestDriver drill(DrillPlan plan) {
        return new DrillTestDriver(new DrillCore(plan), plan);
    }

    /** A driver for a guard of {@code policy} (decoded by {@code GuardPolicy}). */
    public static DrillTestDriver guard(DrillPlan policy) {
        return new DrillTestDriver(new GuardCore(policy), policy);
    }

    /**
     * From now on every event is encoded and decoded on its way in, and every decision encoded, as on the engine's
     * live path (the warm-up uses this to run the code a real drill's first decisions take).
     */
    public DrillTestDriver viaCodec() {
        this.viaCodec = true;
        return this;
    }

    /** Feeds one event; returns the decisions it caused, in log order. */
    public List<Decision> pipe(InputEvent event) {
        inputs.add(event);
        if (event instanceof TelemetryEvent t) {
            observerClocks.merge(t.observer(), t.tsMs(), Math::max);
        }
        boolean tombstone = event instanceof StopEvent s && s.clear(); // no JSON on the wire: a record without a value
        List<Decision> made = core.accept(viaCodec && !tombstone ? Codec.decodeInput(Codec.encode(event)) : event);
        if (viaCodec) {
            made.forEach(Codec::encode);
        }
        decisions.addAll(made);
        return made;
    }

    /** Feeds every event in order; returns the decisions they caused. */
    public List<Decision> pipeAll(Iterable<? extends InputEvent> events) {
        List<Decision> made = new ArrayList<>();
        events.forEach(e -> made.addAll(pipe(e)));
        return made;
    }

    /** A telemetry event about {@code region} from {@code observer} at {@code tsMs} (event id made unique). */
    public List<Decision> pipe(String region, String observer, long tsMs, Telemetry payload) {
        return pipe(new TelemetryEvent(observer + "/" + region + "/" + payload.type() + "/" + tsMs + "/" + (++order),
                region, observer, tsMs, null, payload));
    }

    /** A control event for this drill ({@code start}, {@code abort}, {@code repair_done}). */
    public List<Decision> control(String action, long tsMs) {
        return pipe(new ControlEvent(action + "-" + tsMs + "-" + (++order), tsMs, id, action, null));
    }

    /** An emergency stop of {@code scope} ({@code all} or a drill/guard id) at {@code tsMs}. */
    public List<Decision> stop(String scope, long tsMs, String reason) {
        return pipe(new StopEvent("stop-" + tsMs + "-" + (++order), tsMs, scope, reason, false));
    }

    /** The tombstone that clears the stop of {@code scope}. */
    public List<Decision> clearStop(String scope) {
        return pipe(StopEvent.cleared(scope, "test-" + (++order)));
    }

    /** An actuator's {@code applied} ack of {@code command} at {@code tsMs}. */
    public List<Decision> ack(Command command, long tsMs) {
        return pipe(ackOf(command, tsMs, survivor, true, null));
    }

    /** An actuator's {@code rejected} ack of {@code command} at {@code tsMs}. */
    public List<Decision> reject(Command command, long tsMs, String reason) {
        return pipe(ackOf(command, tsMs, survivor, false, reason));
    }

    /**
     * The ack an actuator sends for {@code command} (not piped): from the command's own region, else from
     * {@code defaultRegion}.
     */
    public static AckEvent ackOf(Command command, long tsMs, String defaultRegion, boolean applied, String reason) {
        String region = command.body().fields().get("region") instanceof String s ? s : defaultRegion;
        return new AckEvent("ack-" + command.commandId(), tsMs, region, "actuator-1", command.commandId(),
                applied ? "applied" : "rejected", applied ? null : reason);
    }

    /**
     * Moves event time forward by {@code d}: every observer seen so far sends a heartbeat {@code d} after its own
     * clock (one second at a time, so every second ticks with the others' state).
     */
    public List<Decision> advanceEventTime(Duration d) {
        List<Decision> made = new ArrayList<>();
        long stepMs = Math.min(1000, d.toMillis());
        for (long done = 0; done < d.toMillis(); done += stepMs) {
            for (String observer : List.copyOf(observerClocks.keySet())) {
                long ts = observerClocks.get(observer) + Math.min(stepMs, d.toMillis() - done);
                made.addAll(pipe(firstRegion, observer, ts, new Telemetry.Heartbeat()));
            }
        }
        return made;
    }

    public DecisionCore core() {
        return core;
    }

    public Phase phase() {
        return core.phase();
    }

    public long watermarkMs() {
        return core.watermarkMs();
    }

    /** Every event piped, in arrival order. */
    public List<InputEvent> inputs() {
        return inputs;
    }

    /** Every decision made, in log order. */
    public List<Decision> decisions() {
        return decisions;
    }

    public List<Command> commands() {
        return decisions.stream().filter(d -> d instanceof Command).map(d -> (Command) d).toList();
    }

    public List<Verdict> verdicts() {
        return decisions.stream().filter(d -> d instanceof Verdict).map(d -> (Verdict) d).toList();
    }

    /** The last verdict named {@code check}, if any. */
    public Optional<Verdict> verdict(String check) {
        return verdicts().stream().filter(v -> v.check().equals(check)).reduce((a, b) -> b);
    }

    public List<Verdict> failedVerdicts() {
        return verdicts().stream().filter(v -> v.failed()).toList();
    }

    /** The decision log as {@code drill replay} writes it: canonical JSON, one decision per line. */
    public String decisionLog() {
        return jsonl(decisions);
    }

    /** Canonical JSON lines of {@code records} (events or decisions). */
    public static String jsonl(List<? extends io.failoverdrill.schemas.CanonicalJson.JsonWritable> records) {
        StringBuilder sb = new StringBuilder();
        records.forEach(r -> sb.append(Codec.encodeToString(r)).append('\n'));
        return sb.toString();
    }
}

package io.failoverdrill.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.failoverdrill.engine.core.time.EventIntake;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Many guards fed one input stream, each deciding exactly as a {@link GuardCore} of its own fed the same stream from
 * the same point would — at a per-event cost that does not grow with the number of guards. Guards whose policies
 * share {@code allowed_lateness_ms} and {@code timeline.stale_observer_s} would keep identical clocks, so they share
 * one {@link EventIntake} (repeated event ids, lateness, watermark); a telemetry event is recorded only by the guards
 * that watch its region; each whole second the watermark passes ticks every guard of that clock. An emergency stop
 * reaches every guard (each heeds the stops covering it).
 *
 * <p>A guard {@linkplain #add added} to a running pack joins its clock as it stands: from the next whole second
 * on, with the events it sees from then on — as a guard started {@code --from latest} at that point, except that
 * the clock it joins already knows the watermark and the event ids of the allowed lateness behind it. Decisions come
 * out in event order; the decisions of one tick in the order of the clocks' settings, then of the guard ids. Pure.
 */
public final class GuardPack {
    /** The settings that make two guards' clocks identical. */
    private record ClockSettings(long allowedLatenessMs, long staleObserverMs) implements Comparable<ClockSettings> {
        static ClockSettings of(DrillPlan policy) {
            return new ClockSettings(policy.allowedLatenessMs(), GuardWatch.staleObserverMs(policy));
        }

        @Override
        public int compareTo(ClockSettings o) {
            int c = Long.compare(allowedLatenessMs, o.allowedLatenessMs);
            return c != 0 ? c : Long.compare(staleObserverMs, o.staleObserverMs);
        }
    }

    /** One clock and the guards on it: all of them, by id, and those watching each region. */
    private static final class Clock {
        final EventIntake intake;
        final TreeMap<String, GuardWatch> guards = new TreeMap<>();
        final Map<String, List<GuardWatch>> byRegion = new HashMap<>();
        /** {@link #guards}' values as an array, for ticks without an iterator; rebuilt on a change. */
        GuardWatch[] ticked = new GuardWatch[0];
        /** The pack's decisions of the event being fed, which ticks append to. */
        private final List<Decision> decided;
        /** {@link #tick}, made once: handed to the intake with every event. */
        final java.util.function.LongConsumer ticker = this::tick;

        Clock(ClockSettings settings, List<Decision> decided) {
            this.intake = new EventIntake(settings.allowedLatenessMs(), settings.staleObserverMs());
            this.decided = decided;
        }

        void tick(long nowMs) {
            for (GuardWatch g : ticked) {
                g.tick(nowMs);
                decided.addAll(g.drain());
            }
        }

        void reindex() {
            ticked = guards.values().toArray(GuardWatch[]::new);
            byRegion.clear();
            for (GuardWatch g : ticked) {
                for (String region : g.regions()) {
                    byRegion.computeIfAbsent(region, r -> new ArrayList<>()).add(g);
                }
            }
        }
    }

    private final TreeMap<ClockSettings, Clock> clocks = new TreeMap<>();
    private final TreeMap<String, ClockSettings> settingsOf = new TreeMap<>();
    /** The decisions of the event being fed, collected without a list per event (most events decide nothing). */
    private final List<Decision> decided = new ArrayList<>();

    /**
     * Adds a guard, with fresh state, to the clock of its settings (a new clock when it is the first with them).
     *
     * @throws IllegalArgumentException when the pack already holds a guard of that id
     */
    public void add(DrillPlan policy) {
        if (settingsOf.containsKey(policy.drillId())) {
            throw new IllegalArgumentException("guard '" + policy.drillId() + "' is in the pack already");
        }
        ClockSettings settings = ClockSettings.of(policy);
        Clock clock = clocks.computeIfAbsent(settings, s -> new Clock(s, decided));
        clock.guards.put(policy.drillId(), new GuardWatch(policy));
        clock.reindex();
        settingsOf.put(policy.drillId(), settings);
    }

    /** Removes a guard and its state; a clock left without guards is dropped. False when there was none of that id. */
    public boolean remove(String guardId) {
        ClockSettings settings = settingsOf.remove(guardId);
        if (settings == null) {
            return false;
        }
        Clock clock = clocks.get(settings);
        clock.guards.remove(guardId);
        if (clock.guards.isEmpty()) {
            clocks.remove(settings);
        } else {
            clock.reindex();
        }
        return true;
    }

    /** The guards in the pack, by id. */
    public Set<String> guards() {
        return java.util.Collections.unmodifiableSet(settingsOf.keySet());
    }

    /** Feeds one event to every guard; returns the decisions it caused (often none), each carrying its guard's id. */
    public List<Decision> accept(InputEvent event) {
        if (event instanceof StopEvent s) {
            for (Clock clock : clocks.values()) {
                for (GuardWatch g : clock.ticked) {
                    g.stop(s);
                    decided.addAll(g.drain());
                }
            }
            return takeDecided();
        }
        for (Clock clock : clocks.values()) {
            EventIntake intake = clock.intake;
            if (!intake.firstTime(event) || !(event instanceof TelemetryEvent t) || intake.late(t.tsMs())) {
                continue;
            }
            List<GuardWatch> watching = clock.byRegion.get(t.region());
            if (watching != null) {
                boolean fits = true;
                for (int i = 0; i < watching.size(); i++) {
                    fits &= watching.get(i).record(t);
                }
                if (fits) { // counted once per event, as by one guard
                    intake.counts().countUsed();
                } else {
                    intake.counts().countTooFarAhead();
                }
            }
            intake.observed(t.observer(), t.tsMs(), clock.ticker);
        }
        return takeDecided();
    }

    private List<Decision> takeDecided() {
        if (decided.isEmpty()) {
            return List.of();
        }
        List<Decision> out = List.copyOf(decided);
        decided.clear();
        return out;
    }

    /** The watermark of the clock {@code guardId} is on, epoch ms ({@code Long.MIN_VALUE} before any telemetry). */
    public long watermarkMs(String guardId) {
        return clockOf(guardId).intake.clock().watermark();
    }

    /** Regions with a clamp in force for {@code guardId}. */
    public int clampsInForce(String guardId) {
        return clockOf(guardId).guards.get(guardId).clampsInForce();
    }

    /** The seq of {@code guardId}'s last decision. */
    public long lastSeq(String guardId) {
        return clockOf(guardId).guards.get(guardId).lastSeq();
    }

    private Clock clockOf(String guardId) {
        ClockSettings settings = settingsOf.get(guardId);
        if (settings == null) {
            throw new IllegalArgumentException("no guard '" + guardId + "' in the pack");
        }
        return clocks.get(settings);
    }

    /**
     * The pack's whole state: each clock (its settings and intake) with its guards' own states. A pack holding the
     * same guards under the same policies continues from it exactly ({@link #restore}).
     */
    public ObjectNode snapshot() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", "guard_pack");
        ArrayNode cs = n.putArray("clocks");
        clocks.forEach((settings, clock) -> {
            ObjectNode c = cs.addObject();
            c.put("allowed_lateness_ms", settings.allowedLatenessMs()).put("stale_observer_ms", settings.staleObserverMs());
            c.set("intake", clock.intake.state());
            ArrayNode gs = c.putArray("guards");
            clock.guards.values().forEach(g -> gs.add(g.state()));
        });
        return n;
    }

    /**
     * Replaces this pack's state with a {@link #snapshot()}'s. The pack must hold exactly the snapshot's guards, added
     * under the same policies.
     *
     * @throws IllegalArgumentException naming what differs (another kind of snapshot, a guard missing or extra, a
     *                                  policy changed)
     */
    public void restore(JsonNode n) {
        if (!"guard_pack".equals(n.path("kind").asText())) {
            throw new IllegalArgumentException("a snapshot of kind '" + n.path("kind").asText() + "' cannot restore a guard pack");
        }
        Map<String, JsonNode> states = new TreeMap<>();
        Map<ClockSettings, JsonNode> intakes = new TreeMap<>();
        for (JsonNode c : n.get("clocks")) {
            ClockSettings settings = new ClockSettings(c.get("allowed_lateness_ms").longValue(), c.get("stale_observer_ms").longValue());
            intakes.put(settings, c.get("intake"));
            for (JsonNode g : c.get("guards")) {
                states.put(g.get("id").asText(), g);
            }
        }
        if (!states.keySet().equals(settingsOf.keySet())) {
            Set<String> missing = new java.util.TreeSet<>(states.keySet());
            missing.removeAll(settingsOf.keySet());
            Set<String> extra = new java.util.TreeSet<>(settingsOf.keySet());
            extra.removeAll(states.keySet());
            throw new IllegalArgumentException("the snapshot's guards differ from the pack's: not in the pack " + missing
                    + ", not in the snapshot " + extra);
        }
        // a guard's policy changed (its clock's settings with it) is named by its own restore first
        clocks.forEach((settings, clock) -> clock.guards.forEach((id, g) -> g.restore(states.get(id), "guard")));
        if (!intakes.keySet().equals(clocks.keySet())) {
            throw new IllegalArgumentException("the snapshot's clocks differ from the pack's: " + intakes.keySet()
                    + " against " + clocks.keySet());
        }
        clocks.forEach((settings, clock) -> clock.intake.restore(intakes.get(settings)));
    }
}

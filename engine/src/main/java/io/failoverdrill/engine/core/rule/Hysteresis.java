package io.failoverdrill.engine.core.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A reusable hysteresis rule evaluated once per event-time second over per-observer values.
 *
 * <ul>
 *   <li>Asymmetric thresholds: an observer votes <em>bad</em> when its value is beyond {@code enter} and
 *       <em>good</em> when it is back within {@code exit} (values in between keep the last vote).</li>
 *   <li>Quorum: the condition holds when at least {@code quorum} observers vote bad (k of n); it clears when
 *       fewer than {@code quorum} do.</li>
 *   <li>Dwell: the condition must hold for {@code dwellS} consecutive seconds before the rule fires, and must
 *       stay clear for {@code dwellS} consecutive seconds before it releases. Oscillation faster than the dwell
 *       never changes the state.</li>
 *   <li>Keep-firing: once fired the rule stays fired until released.</li>
 *   <li>Flap limit: at most {@code flapLimit} state changes within {@code flapWindowS}; beyond that the rule
 *       holds its current state (and reports {@link #flapping()}).</li>
 * </ul>
 */
public final class Hysteresis {
    /**
     * @param above true when bad means "value above {@code enter}"; false when bad means "below {@code enter}"
     */
    public record Config(double enter, double exit, boolean above, int dwellS, int quorum, int flapLimit,
                         int flapWindowS) {
        public Config {
            if (dwellS < 0 || quorum < 1 || flapLimit < 1 || flapWindowS < 1) {
                throw new IllegalArgumentException("hysteresis needs dwell_s ≥ 0, quorum ≥ 1, flap_limit ≥ 1, flap_window_s ≥ 1; got "
                        + dwellS + ", " + quorum + ", " + flapLimit + ", " + flapWindowS);
            }
            if (above ? exit > enter : exit < enter) {
                throw new IllegalArgumentException("exit threshold " + exit + " must be on the good side of enter " + enter);
            }
        }
    }

    /** What one evaluation did. */
    public enum Change { NONE, FIRED, RELEASED }

    private final Config config;
    private final java.util.Map<String, Boolean> votes = new java.util.TreeMap<>();
    private boolean firing;
    private int heldS;
    private int clearS;
    private int badVotes;
    private final Deque<Long> changes = new ArrayDeque<>();
    private boolean flapping;

    public Hysteresis(Config config) {
        this.config = config;
    }

    /**
     * Evaluates second {@code nowMs} with each observer's value ({@code NaN} = no data: the observer keeps its
     * previous vote). Returns whether the rule fired or released on this second.
     */
    public Change evaluate(long nowMs, java.util.Map<String, Double> valueByObserver) {
        valueByObserver.forEach((observer, v) -> {
            if (Double.isNaN(v)) {
                return;
            }
            boolean bad = config.above ? v > config.enter : v < config.enter;
            boolean good = config.above ? v <= config.exit : v >= config.exit;
            if (bad) {
                votes.put(observer, true);
            } else if (good) {
                votes.put(observer, false);
            }
        });
        votes.keySet().retainAll(valueByObserver.keySet());
        badVotes = (int) votes.values().stream().filter(b -> b).count();
        boolean holds = badVotes >= config.quorum;
        if (holds) {
            heldS++;
            clearS = 0;
        } else {
            clearS++;
            heldS = 0;
        }
        while (!changes.isEmpty() && changes.peekFirst() <= nowMs - config.flapWindowS * 1000L) {
            changes.removeFirst();
        }
        if (!firing && holds && heldS >= Math.max(1, config.dwellS)) {
            return change(nowMs, true);
        }
        if (firing && !holds && clearS >= Math.max(1, config.dwellS)) {
            return change(nowMs, false);
        }
        return Change.NONE;
    }

    private Change change(long nowMs, boolean fire) {
        if (changes.size() >= config.flapLimit) {
            flapping = true;
            return Change.NONE;
        }
        flapping = false;
        changes.addLast(nowMs);
        firing = fire;
        return fire ? Change.FIRED : Change.RELEASED;
    }

    public boolean firing() {
        return firing;
    }

    /**
     * The dwell countdown: seconds the condition has held (not firing) or been clear (firing) so far; the rule
     * changes once this reaches {@code dwellS}.
     */
    public int dwellProgressS() {
        return firing ? clearS : heldS;
    }

    public boolean flapping() {
        return flapping;
    }

    /** Observers currently voting bad. */
    public int badVotes() {
        return badVotes;
    }

    public Config config() {
        return config;
    }

    /** Votes, state, dwell counters and recent changes, for a snapshot. */
    public ObjectNode state() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode v = n.putObject("votes");
        votes.forEach(v::put);
        n.put("firing", firing).put("held_s", heldS).put("clear_s", clearS).put("bad_votes", badVotes)
                .put("flapping", flapping);
        ArrayNode c = n.putArray("changes");
        changes.forEach(c::add);
        return n;
    }

    /** Replaces this rule's state with {@link #state()}'s (of a rule with the same config). */
    public void restore(JsonNode n) {
        votes.clear();
        n.get("votes").fields().forEachRemaining(e -> votes.put(e.getKey(), e.getValue().booleanValue()));
        firing = n.get("firing").booleanValue();
        heldS = n.get("held_s").intValue();
        clearS = n.get("clear_s").intValue();
        badVotes = n.get("bad_votes").intValue();
        flapping = n.get("flapping").booleanValue();
        changes.clear();
        n.get("changes").forEach(c -> changes.addLast(c.longValue()));
    }

    /** Observers currently voting bad, by name. */
    public List<String> badObservers() {
        return votes.entrySet().stream().filter(java.util.Map.Entry::getValue).map(java.util.Map.Entry::getKey).toList();
    }
}

package io.failoverdrill.engine.core.drill;

import io.failoverdrill.schemas.decision.Phase;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.failoverdrill.schemas.decision.Phase.*;

/**
 * The drill's phases as a transition table. Any phase but the terminal ones may go to {@code aborted} (a failed
 * drill) or {@code stopped} (an emergency stop); every other
 * move must be listed; an illegal transition throws {@link IllegalStateException}.
 */
public final class PhaseMachine {
    private static final Map<Phase, Set<Phase>> TABLE = new EnumMap<>(Phase.class);

    static {
        TABLE.put(IDLE, EnumSet.of(PRECHECK));
        TABLE.put(PRECHECK, EnumSet.of(EVACUATE, CLOSEOUT));
        TABLE.put(EVACUATE, EnumSet.of(PROMOTE, OBSERVE, CLOSEOUT)); // observe: a drill that moves no writer
        TABLE.put(PROMOTE, EnumSet.of(OBSERVE, CLOSEOUT));
        TABLE.put(OBSERVE, EnumSet.of(VERIFY, CLOSEOUT));
        TABLE.put(VERIFY, EnumSet.of(RETURN_HOME, CLOSEOUT));
        TABLE.put(RETURN_HOME, EnumSet.of(CLOSEOUT));
        TABLE.put(CLOSEOUT, EnumSet.of(DONE));
        TABLE.put(DONE, EnumSet.noneOf(Phase.class));
        TABLE.put(ABORTED, EnumSet.noneOf(Phase.class));
        TABLE.put(STOPPED, EnumSet.noneOf(Phase.class));
        for (Phase p : Phase.values()) {
            if (!p.terminal()) {
                TABLE.get(p).add(ABORTED);
                TABLE.get(p).add(STOPPED);
            }
        }
    }

    private Phase current = IDLE;

    public Phase current() {
        return current;
    }

    public boolean isTerminal() {
        return current.terminal();
    }

    public static boolean allowed(Phase from, Phase to) {
        return TABLE.get(from).contains(to);
    }

    /** Moves to {@code to}; returns the phase left. */
    public Phase moveTo(Phase to) {
        if (!allowed(current, to)) {
            throw new IllegalStateException("illegal drill transition " + current.wire() + " → " + to.wire());
        }
        Phase from = current;
        current = to;
        return from;
    }
}

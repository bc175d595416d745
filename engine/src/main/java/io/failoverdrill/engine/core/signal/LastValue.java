package io.failoverdrill.engine.core.signal;

import java.util.ArrayList;
import java.util.List;

/**
 * The latest value of a state signal (health, index metadata, cache, backlog) for one key, in event time: a value
 * becomes current only once the watermark has passed its {@code ts}; among values of equal {@code ts} the one with
 * the greater event id wins, so arrival order never matters.
 */
public final class LastValue<T> {
    /** A value with its event time and id. */
    public record Stamped<T>(long tsMs, String eventId, T value) {
        boolean newerThan(long ts, String id) {
            return tsMs > ts || (tsMs == ts && eventId.compareTo(id) > 0);
        }
    }

    private final List<Stamped<T>> pending = new ArrayList<>(2);
    private Stamped<T> current;

    public void offer(long tsMs, String eventId, T value) {
        pending.add(new Stamped<>(tsMs, eventId, value));
    }

    /** Makes every pending value with {@code ts < untilMs} eligible; the newest of them becomes current. */
    public void sealUntil(long untilMs) {
        for (int i = pending.size() - 1; i >= 0; i--) {
            Stamped<T> s = pending.get(i);
            if (s.tsMs < untilMs) {
                if (current == null || s.newerThan(current.tsMs, current.eventId)) {
                    current = s;
                }
                pending.remove(i);
            }
        }
    }

    /** The current value, or null if none yet. */
    public T value() {
        return current == null ? null : current.value;
    }

    /** The current value with its stamp (null: none yet), for a snapshot. */
    public Stamped<T> current() {
        return current;
    }

    /** The values not yet current (their {@code ts} not yet passed by the watermark), in arrival order. */
    public List<Stamped<T>> pending() {
        return List.copyOf(pending);
    }

    /** Replaces this signal's state with a snapshot's. */
    public void restore(Stamped<T> current, List<Stamped<T>> pending) {
        this.current = current;
        this.pending.clear();
        this.pending.addAll(pending);
    }

    /** Event time of the current value, or {@code Long.MIN_VALUE}. */
    public long tsMs() {
        return current == null ? Long.MIN_VALUE : current.tsMs;
    }
}

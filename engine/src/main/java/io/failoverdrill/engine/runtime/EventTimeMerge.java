package io.failoverdrill.engine.runtime;

import io.failoverdrill.schemas.event.InputEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Interleaves the input partitions by event time before the core sees them, so that an engine catching up on topics
 * that already hold minutes of telemetry does not read one partition far ahead of another (which would push the
 * watermark past the other partitions' events and make them late).
 *
 * <p>Records are queued per partition in arrival (offset) order; the head with the smallest {@code ts} goes first. A
 * partition that is still <em>behind</em> (the consumer has not reached its end) and has nothing queued may yet
 * deliver older events, so the others may run at most {@code slackMs} (half the allowed lateness) past its last
 * event — not at all if it delivered nothing yet. A partition that is caught up never holds the others back, and a
 * live partition a fetch or two behind is within the slack, so live traffic passes straight through. Order within a partition is never changed (a late event stays late). At most
 * {@code maxHeld} records are held; beyond that the oldest are released regardless (bounded memory). Held records
 * are not consumed: their offsets are committed only once they have been fed to the core.
 */
final class EventTimeMerge {
    /** A decoded record waiting for its turn; {@code decoded} is the event or its contract violation. */
    record Pending(InboundRecord record, Object decoded, long tsMs) {
    }

    private static final Comparator<Pending> ORDER = Comparator.comparingLong(Pending::tsMs)
            .thenComparing(p -> p.record().topic()).thenComparingInt(p -> p.record().partition());

    private final Map<String, Deque<Pending>> queues = new TreeMap<>();
    /** Per partition, the {@code ts} of the last record that arrived (whether released yet or not). */
    private final Map<String, Long> lastArrivedTs = new TreeMap<>();
    private final int maxHeld;
    private final long slackMs;
    private int held;

    /**
     * @param slackMs how far past a lagging partition's last event the others may run; keep it below the allowed
     *                lateness so that the lagging partition's next events (not older than its last) cannot be late
     */
    EventTimeMerge(int maxHeld, long slackMs) {
        this.maxHeld = maxHeld;
        this.slackMs = slackMs;
    }

    static String key(String topic, int partition) {
        return topic + "/" + partition;
    }

    /**
     * Adds a batch ({@code decoded[i]} belongs to {@code records.get(i)}) and returns what may be fed now, in order.
     * {@code behind}: the partitions ({@link #key}) whose end the consumer has not reached yet.
     */
    List<Pending> offer(List<InboundRecord> records, Object[] decoded, Set<String> behind) {
        for (int i = 0; i < records.size(); i++) {
            InboundRecord r = records.get(i);
            Deque<Pending> q = queues.computeIfAbsent(key(r.topic(), r.partition()), k -> new ArrayDeque<>());
            long ts = decoded[i] instanceof InputEvent e ? e.tsMs() : q.isEmpty() ? Long.MIN_VALUE : q.peekLast().tsMs();
            q.addLast(new Pending(r, decoded[i], ts));
            lastArrivedTs.merge(key(r.topic(), r.partition()), ts, Math::max);
            held++;
        }
        List<Pending> out = new ArrayList<>();
        while (held > 0) {
            Deque<Pending> next = null;
            for (Deque<Pending> q : queues.values()) {
                if (!q.isEmpty() && (next == null || ORDER.compare(q.peekFirst(), next.peekFirst()) < 0)) {
                    next = q;
                }
            }
            if (next.peekFirst().tsMs() > releasableUntil(behind) && held <= maxHeld) {
                break;
            }
            out.add(next.pollFirst());
            held--;
        }
        return out;
    }

    /**
     * Heads up to this {@code ts} may go: a lagging partition with nothing queued lets the others run at most
     * {@code slackMs} past its last event (not at all if it has delivered nothing yet).
     */
    private long releasableUntil(Set<String> behind) {
        long until = Long.MAX_VALUE;
        for (String p : behind) {
            Deque<Pending> q = queues.get(p);
            if (q == null || q.isEmpty()) {
                Long last = lastArrivedTs.get(p);
                until = Math.min(until, last == null || last == Long.MIN_VALUE ? Long.MIN_VALUE : last + slackMs);
            }
        }
        return until;
    }

    int held() {
        return held;
    }
}

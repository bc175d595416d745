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
 * <p>Records are queued per partition in arrival (offset) order. The head with the smallest {@code ts} is released
 * while no partition that is still <em>behind</em> (the consumer has not reached its end) has an empty queue — such a
 * partition may yet deliver older events. A partition that is caught up never holds the others back, so live
 * traffic passes straight through. Order within a partition is never changed (a late event stays late). At most
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
    private final int maxHeld;
    private int held;

    EventTimeMerge(int maxHeld) {
        this.maxHeld = maxHeld;
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
            held++;
        }
        List<Pending> out = new ArrayList<>();
        while (held > 0) {
            boolean blocked = behind.stream().anyMatch(p -> {
                Deque<Pending> q = queues.get(p);
                return q == null || q.isEmpty();
            });
            if (blocked && held <= maxHeld) {
                break;
            }
            Deque<Pending> next = null;
            for (Deque<Pending> q : queues.values()) {
                if (!q.isEmpty() && (next == null || ORDER.compare(q.peekFirst(), next.peekFirst()) < 0)) {
                    next = q;
                }
            }
            out.add(next.pollFirst());
            held--;
        }
        return out;
    }

    int held() {
        return held;
    }
}

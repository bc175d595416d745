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
 * partition that is still <em>behind</em> (not yet handed over to its end) and has nothing queued may yet
 * deliver older events, so the others may run at most {@code slackMs} (half the allowed lateness) past its last
 * event — not at all if it delivered nothing yet. A partition that is caught up never holds the others back, and a
 * live partition a fetch or two behind is within the slack, so live traffic passes straight through. Order within a partition is never changed (a late event stays late). At most
 * {@code maxHeld} records are held (bounded memory): beyond that the newest in event time are let go, and their
 * partitions are read again from the first of them ({@link #takeRewinds}) — so partitions that carry events at
 * different rates, and drift apart in event time while a backlog is read, cost re-reading instead of late events.
 * Held records are not consumed: their offsets are committed only once they have been fed to the core.
 */
final class EventTimeMerge {
    /** A decoded record waiting for its turn; {@code decoded} is the event or its contract violation. */
    record Pending(InboundRecord record, Object decoded, long tsMs) {
    }

    /** One input partition's queue; {@code rank} is its place in (topic, partition) order, the tie-break on equal ts. */
    private static final class Partition {
        final String topic;
        final int partition;
        final Deque<Pending> queue = new ArrayDeque<>();
        /**
         * The {@code ts} of the last record that arrived (whether released yet or not), or of the first one let go
         * beyond the cap (it arrives again next); MIN_VALUE: none yet.
         */
        long lastArrivedTs = Long.MIN_VALUE;
        int rank;

        Partition(String topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }

        /** Whether this head goes before {@code other}'s: smaller ts, then (topic, partition) order. */
        boolean headBefore(Partition other) {
            long a = queue.peekFirst().tsMs();
            long b = other.queue.peekFirst().tsMs();
            return a < b || (a == b && rank < other.rank);
        }
    }

    private static final Comparator<Partition> PARTITION_ORDER = Comparator.<Partition, String>comparing(p -> p.topic)
            .thenComparingInt(p -> p.partition);

    /** By {@link #key}. */
    private final Map<String, Partition> partitions = new TreeMap<>();
    private final List<Partition> ranked = new ArrayList<>();
    private final int maxHeld;
    private final long slackMs;
    private int held;
    /** Per partition ({@link #key}), the first offset let go by {@link #trimToCap} since {@link #takeRewinds}. */
    private final Map<String, Long> rewinds = new TreeMap<>();

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
     * {@code behind}: the partitions ({@link #key}) not yet handed over to their end ({@link EventLogPort.Batch#behind}).
     */
    List<Pending> offer(List<InboundRecord> records, Object[] decoded, Set<String> behind) {
        Partition p = null;
        for (int i = 0; i < records.size(); i++) {
            InboundRecord r = records.get(i);
            if (p == null || p.partition != r.partition() || !p.topic.equals(r.topic())) { // a batch comes in runs
                p = partition(r.topic(), r.partition());
            }
            Deque<Pending> q = p.queue;
            long ts = decoded[i] instanceof InputEvent e ? e.tsMs() : q.isEmpty() ? Long.MIN_VALUE : q.peekLast().tsMs();
            q.addLast(new Pending(r, decoded[i], ts));
            p.lastArrivedTs = Math.max(p.lastArrivedTs, ts);
            held++;
        }
        List<Pending> out = new ArrayList<>(held);
        long until = releasableUntil(behind);
        while (held > 0) {
            // the head that goes first, and the one after it: the first queue drains while it stays ahead of the second
            Partition first = null;
            Partition second = null;
            for (Partition candidate : ranked) {
                if (candidate.queue.isEmpty()) {
                    continue;
                }
                if (first == null || candidate.headBefore(first)) {
                    second = first;
                    first = candidate;
                } else if (second == null || candidate.headBefore(second)) {
                    second = candidate;
                }
            }
            while (!first.queue.isEmpty() && (second == null || first.headBefore(second))) {
                if (first.queue.peekFirst().tsMs() > until) {
                    trimToCap();
                    return out;
                }
                out.add(first.queue.pollFirst());
                held--;
                if (first.queue.isEmpty() && behind.contains(key(first.topic, first.partition))) {
                    until = releasableUntil(behind); // a lagging partition ran dry: it now holds the others back
                }
            }
        }
        return out;
    }

    /**
     * Beyond the cap, the newest held records (in event time) are let go — not released: they will be read again,
     * from the offsets {@link #takeRewinds} names, once the partitions behind have caught up.
     */
    private void trimToCap() {
        while (held > maxHeld) {
            Partition newest = null;
            for (Partition candidate : ranked) {
                if (!candidate.queue.isEmpty()
                        && (newest == null || candidate.queue.peekLast().tsMs() >= newest.queue.peekLast().tsMs())) {
                    newest = candidate;
                }
            }
            Pending dropped = newest.queue.pollLast();
            held--;
            rewinds.put(key(newest.topic, newest.partition), dropped.record().offset());
            // what the partition hands over next is the first record let go: the others may run up to the slack past it
            newest.lastArrivedTs = dropped.tsMs();
        }
    }

    /**
     * The partitions ({@link #key}) from which records were let go since the last call, each with the offset of the
     * first of them: read again from there, and hand over nothing of that partition before it.
     */
    Map<String, Long> takeRewinds() {
        if (rewinds.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> out = new TreeMap<>(rewinds);
        rewinds.clear();
        return out;
    }

    private Partition partition(String topic, int partition) {
        Partition p = partitions.get(key(topic, partition));
        if (p == null) {
            p = new Partition(topic, partition);
            partitions.put(key(topic, partition), p);
            ranked.add(p);
            ranked.sort(PARTITION_ORDER);
            for (int k = 0; k < ranked.size(); k++) {
                ranked.get(k).rank = k;
            }
        }
        return p;
    }

    /**
     * Heads up to this {@code ts} may go: a lagging partition with nothing queued lets the others run at most
     * {@code slackMs} past its last event (not at all if it has delivered nothing yet).
     */
    private long releasableUntil(Set<String> behind) {
        long until = Long.MAX_VALUE;
        for (String key : behind) {
            Partition p = partitions.get(key);
            if (p == null || p.queue.isEmpty()) {
                long last = p == null ? Long.MIN_VALUE : p.lastArrivedTs;
                until = Math.min(until, last == Long.MIN_VALUE ? Long.MIN_VALUE : last + slackMs);
            }
        }
        return until;
    }

    int held() {
        return held;
    }
}

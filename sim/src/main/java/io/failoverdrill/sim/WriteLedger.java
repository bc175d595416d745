package io.failoverdrill.sim;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;

/**
 * One region's write path. A write is applied directly only by the writer region; a frozen region accepts and
 * enqueues (no direct store writes); on promotion the new writer replays the queues it is handed, each write
 * applied once (by id).
 */
public final class WriteLedger {
    /** What happened to one write request. */
    public enum Outcome { APPLIED, ENQUEUED, DUPLICATE, NOT_WRITER }

    private final Map<String, Long> applied = new LinkedHashMap<>();
    private final Queue<String> queue = new ArrayDeque<>();
    private final Map<String, Long> enqueuedAt = new LinkedHashMap<>();
    private boolean writer;
    private boolean frozen;

    public synchronized Outcome write(String writeId, long nowMs) {
        if (applied.containsKey(writeId) || enqueuedAt.containsKey(writeId)) {
            return Outcome.DUPLICATE;
        }
        if (frozen) {
            queue.add(writeId);
            enqueuedAt.put(writeId, nowMs);
            return Outcome.ENQUEUED;
        }
        if (writer) {
            applied.put(writeId, nowMs);
            return Outcome.APPLIED;
        }
        return Outcome.NOT_WRITER;
    }

    /** Accepts {@code writeId} into the queue (queue-first while no region is writer); false if already known. */
    public synchronized boolean enqueue(String writeId, long nowMs) {
        if (applied.containsKey(writeId) || enqueuedAt.containsKey(writeId)) {
            return false;
        }
        queue.add(writeId);
        enqueuedAt.put(writeId, nowMs);
        return true;
    }

    public synchronized void freeze() {
        frozen = true;
        writer = false;
    }

    public synchronized void unfreeze() {
        frozen = false;
    }

    public synchronized void promote() {
        writer = true;
        frozen = false;
    }

    public synchronized boolean isWriter() {
        return writer;
    }

    public synchronized boolean isFrozen() {
        return frozen;
    }

    /** Hands over this region's queue; the caller replays it into the writer. */
    public synchronized Queue<String> drainQueue() {
        Queue<String> out = new ArrayDeque<>(queue);
        queue.clear();
        enqueuedAt.clear();
        return out;
    }

    /** Applies {@code writeId} replayed from another region's queue; false if it was already applied here. */
    public synchronized boolean replay(String writeId, long nowMs) {
        return applied.putIfAbsent(writeId, nowMs) == null;
    }

    public synchronized int queueLength() {
        return queue.size();
    }

    public synchronized long oldestQueuedAgeMs(long nowMs) {
        return enqueuedAt.values().stream().mapToLong(t -> nowMs - t).max().orElse(0);
    }

    public synchronized int appliedCount() {
        return applied.size();
    }

    public synchronized boolean hasApplied(String writeId) {
        return applied.containsKey(writeId);
    }
}

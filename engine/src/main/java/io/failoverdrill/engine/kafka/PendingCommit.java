package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.runtime.EventLogPort;
import io.failoverdrill.engine.runtime.InboundRecord;
import io.failoverdrill.engine.runtime.OutboundRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The batches handled since the last commit, to be committed in one transaction: their outputs in order, the offset
 * after each partition's last consumed record, and what to run once committed. A batch is <em>quiet</em> when it
 * produced nothing but its journal entry (and a drill's state summary) — nobody waits for it, so it may wait for the
 * next commit. The consumed
 * records themselves are not kept (only their offsets), and what waits is bounded ({@link #full}).
 */
final class PendingCommit {
    private final List<OutboundRecord> outputs = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private NextOffsets offsets = new NextOffsets();
    private int batches;
    private long bytes;
    private long firstNanos;
    private String snapshotBatch;

    /**
     * Whether {@code result} produced nothing but its journal entry and a drill's state summary — no decision, command,
     * DLQ record or core snapshot.
     */
    static boolean quiet(EventLogPort.BatchResult<?> result) {
        if (!result.results().isEmpty()) {
            return false;
        }
        for (OutboundRecord o : result.outputs()) {
            boolean summary = o.destination() == OutboundRecord.Destination.STATE
                    && o.headers().get(OutboundRecord.SNAPSHOT_BATCH_HEADER) == null;
            if (o.destination() != OutboundRecord.Destination.JOURNAL && !summary) {
                return false;
            }
        }
        return true;
    }

    /** Adds a handled batch; {@code nowNanos} starts the wait of the first. */
    void add(EventLogPort.BatchResult<?> result, long nowNanos) {
        if (batches == 0) {
            firstNanos = nowNanos;
        }
        batches++;
        outputs.addAll(result.outputs());
        for (OutboundRecord o : result.outputs()) {
            bytes += o.value().length;
        }
        afterCommit.add(result.afterCommit());
        for (InboundRecord r : result.consumed()) {
            offsets.add(r.topic(), r.partition(), r.offset());
        }
        for (OutboundRecord o : result.outputs()) {
            if (o.destination() == OutboundRecord.Destination.STATE && o.headers().get(OutboundRecord.SNAPSHOT_BATCH_HEADER) != null) {
                snapshotBatch = o.headers().get(OutboundRecord.SNAPSHOT_BATCH_HEADER);
            }
        }
    }

    boolean isEmpty() {
        return batches == 0;
    }

    /** How many batches wait. */
    int batches() {
        return batches;
    }

    /** At most this many batches wait, … */
    static final int MAX_BATCHES = 100;
    /** … holding at most this many bytes of outputs: what waits stays small, whatever the batches. */
    static final long MAX_BYTES = 256 * 1024;

    /** Whether one more batch may not wait: {@link #MAX_BATCHES} or {@link #MAX_BYTES} reached. */
    boolean full() {
        return batches >= MAX_BATCHES || bytes >= MAX_BYTES;
    }

    /** Nanoseconds the first waiting batch has waited at {@code nowNanos}. */
    long waitedNanos(long nowNanos) {
        return batches == 0 ? 0 : nowNanos - firstNanos;
    }

    /** The batch number a snapshot among the outputs was taken after, or null. */
    String snapshotBatch() {
        return snapshotBatch;
    }

    List<OutboundRecord> outputs() {
        return outputs;
    }

    /** Each partition's next offset, with {@code metadata}. */
    Map<TopicPartition, OffsetAndMetadata> offsets(String metadata) {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
        offsets.forEach((tp, offset) -> m.put(tp, new OffsetAndMetadata(offset, metadata)));
        return m;
    }

    /** Runs what each batch wanted done once committed, in order. */
    void committed() {
        afterCommit.forEach(Runnable::run);
    }

    /** Takes everything out: what is returned is committed next; this starts empty again. */
    PendingCommit take() {
        PendingCommit taken = new PendingCommit();
        taken.outputs.addAll(outputs);
        taken.afterCommit.addAll(afterCommit);
        taken.offsets = offsets;
        taken.batches = batches;
        taken.bytes = bytes;
        taken.firstNanos = firstNanos;
        taken.snapshotBatch = snapshotBatch;
        outputs.clear();
        afterCommit.clear();
        offsets = new NextOffsets();
        batches = 0;
        bytes = 0;
        snapshotBatch = null;
        return taken;
    }
}

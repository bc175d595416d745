package io.failoverdrill.engine.runtime;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.function.Function;

/**
 * What the runtime needs from the event log (implemented for Kafka by {@code KafkaEventLog}): input records in
 * arrival order, one batch at a time, where a batch's outputs and its consumed offsets commit atomically.
 */
public interface EventLogPort {
    /**
     * Feeds each input batch to {@code handler}, commits the outputs it returns together with the batch's
     * offsets, and only then emits the handler's results and reads the next batch. An implementation may let a batch
     * whose only output is its journal entry (no result, nothing anyone waits for) commit with a later one, in order.
     */
    <T> Flux<T> process(Function<Batch, Mono<BatchResult<T>>> handler);

    /**
     * The records of every batch already committed for {@code drillId} (after its latest snapshot, when there is
     * one), batch by batch in journal order — after fencing any other engine of the drill, so that nothing can be
     * committed behind the reader's back.
     */
    Recovery recover(String drillId);

    /**
     * What recovery found: the latest snapshot of the core ({@code null}: none — every committed batch follows) and
     * the committed batches after it, the first of which is batch number {@code firstBatch}.
     */
    record Recovery(byte[] snapshot, long firstBatch, List<List<InboundRecord>> batches) {
        public static Recovery ofJournal(List<List<InboundRecord>> batches) {
            return new Recovery(null, 0, batches);
        }
    }

    /**
     * One poll's records in arrival order; {@code behind} asks (asynchronously — it costs a trip to the consumer
     * thread, so ask only when it matters) which input partitions ({@code topic/partition}) have not been handed to
     * the engine to their end yet (they may still deliver older events). {@code rewind} reads the given partitions
     * again from the given offsets (records the engine let go without consuming them): the next record handed over
     * from such a partition is the one at that offset, and nothing of it handed over before that.
     */
    record Batch(List<InboundRecord> records, Mono<java.util.Set<String>> behind,
                 java.util.function.Function<java.util.Map<String, Long>, Mono<Void>> rewind) {
    }

    /**
     * What handling one batch produced: records to write, results to emit once they are committed, the input
     * records it consumed (their offsets commit with the outputs; records it holds back for later are not among
     * them — per partition, the consumed records are a prefix of what arrived), and what to do once the transaction
     * committed (meters, console lines: so that a batch aborted and read again is counted once) — it should hold
     * little: a quiet batch's may wait for a later commit.
     */
    record BatchResult<T>(List<OutboundRecord> outputs, List<T> results, List<InboundRecord> consumed,
                          Runnable afterCommit) {
        public BatchResult(List<OutboundRecord> outputs, List<T> results, List<InboundRecord> consumed) {
            this(outputs, results, consumed, () -> { });
        }
    }
}

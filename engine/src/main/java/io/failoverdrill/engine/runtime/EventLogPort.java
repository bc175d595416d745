package io.failoverdrill.engine.runtime;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * What the runtime needs from the event log (Kafka in production, an in-memory fake in unit tests): batches of
 * input records in arrival order, and an atomic commit of a batch's outputs together with its consumed offsets.
 */
public interface EventLogPort {
    /** Input batches; the next batch is requested only after the previous one's {@link Batch#commit} completed. */
    Flux<Batch> batches();

    interface Batch {
        List<InboundRecord> records();

        /** Writes {@code outputs} and marks {@link #records()} consumed, all or nothing. */
        Mono<Void> commit(List<OutboundRecord> outputs);
    }
}

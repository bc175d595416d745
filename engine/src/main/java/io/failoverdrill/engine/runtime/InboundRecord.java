package io.failoverdrill.engine.runtime;

/** One record as it arrived, with its source coordinates (for DLQ evidence and replay). */
public record InboundRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
}

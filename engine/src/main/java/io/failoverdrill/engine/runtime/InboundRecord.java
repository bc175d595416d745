package io.failoverdrill.engine.runtime;

/**
 * One record as it arrived, with its source coordinates (for DLQ evidence and replay) and its signature headers
 * ({@code drill-kid}, {@code drill-sig}, {@code drill-clears}; null when absent — the only headers the engine reads).
 */
public record InboundRecord(String topic, int partition, long offset, byte[] key, byte[] value, byte[] kid, byte[] sig,
                            byte[] clears) {
    /** A record without signature headers. */
    public InboundRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
        this(topic, partition, offset, key, value, null, null, null);
    }
}

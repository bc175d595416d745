package io.failoverdrill.schemas;

/**
 * The headers of a dead-letter record (docs/contracts.md §9, topic {@code <prefix>dlq}): its value is the rejected
 * record's value — its first {@link #OVERSIZED_KEPT} bytes when it is larger than {@link Codec#MAX_RECORD_BYTES} —
 * under the original key.
 */
public final class DeadLetters {
    /** Why it was rejected: the rule, or {@code oversized}. */
    public static final String REASON = "drill.dlq.reason";
    /** Where in the record (a JSON path). */
    public static final String PATH = "drill.dlq.path";
    /** {@code topic/partition@offset} of the original record. */
    public static final String SOURCE = "drill.dlq.source";
    /** The original record's size in bytes. */
    public static final String SIZE = "drill.dlq.size";
    /** More about the reason (all the rejected parts of a record, or why it was cut). */
    public static final String DETAIL = "drill.dlq.detail";
    /** How much of an oversized record its dead letter keeps. */
    public static final int OVERSIZED_KEPT = 4096;

    private DeadLetters() {
    }

    /** The value a dead letter keeps of {@code value}. */
    public static byte[] kept(byte[] value) {
        return value.length > Codec.MAX_RECORD_BYTES ? java.util.Arrays.copyOf(value, OVERSIZED_KEPT) : value;
    }
}

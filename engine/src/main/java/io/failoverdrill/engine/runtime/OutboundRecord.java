package io.failoverdrill.engine.runtime;

import java.util.Map;

/** A record the engine writes: to a command topic, the decision log, or the DLQ. */
public record OutboundRecord(Destination destination, String key, byte[] value, Map<String, String> headers) {
    /** Where an outbound record goes; the adapter maps each to a topic name. */
    public enum Destination { CUTOVER_COMMANDS, CLAMP_COMMANDS, DRYRUN_COMMANDS, DECISIONS, DLQ, JOURNAL, STATE }

    /**
     * On a {@link Destination#STATE} record: it holds a snapshot of the core taken after the journal batch this
     * header names, which recovery restores instead of re-reading the input before it.
     */
    public static final String SNAPSHOT_BATCH_HEADER = "drill-snapshot-batch";

    /**
     * On a {@link Destination#STATE} record: it holds part {@code i} of {@code n} of a core snapshot too large for one
     * record, taken after journal batch {@code b} — value {@code b:i/n}. Its key is {@link #snapshotPartKey}.
     */
    public static final String SNAPSHOT_PART_HEADER = "drill-snapshot-part";

    /** The key of part {@code part} (1, 2, …) of a split snapshot of {@code id}: the id, a NUL, {@code part-<n>}. */
    public static String snapshotPartKey(String id, int part) {
        return id + "\0part-" + part;
    }

    /** Whether {@code key} can be a drill's or guard's own (no NUL: {@link #snapshotPartKey} uses one). */
    public static boolean ownKey(String key) {
        return key.indexOf('\0') < 0;
    }
}

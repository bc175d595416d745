package io.failoverdrill.engine.kafka;

/**
 * The journal names input records the broker no longer keeps (retention, or deleted records): a drill or guard
 * cannot be recovered, replayed or exported from the topics beyond that point. Guards recover from their snapshots
 * instead, which never need input older than the snapshot.
 */
public final class BeyondRetentionException extends IllegalStateException {
    public BeyondRetentionException(String drillId, String partition, long offset, long keptFrom) {
        super("the journal of '" + drillId + "' names " + partition + "@" + offset + ", but the broker keeps " + partition
                + " only from @" + keptFrom + " on (offsets " + offset + ".." + (keptFrom - 1)
                + " are beyond retention): its input before that is gone");
    }

    private BeyondRetentionException(String message) {
        super(message);
    }

    /**
     * The journal of {@code drillId} on {@code journalTopic} no longer holds batch {@code missing} (the journal's own
     * retention, or deleted records): the drill or guard cannot be replayed or exported from its start.
     */
    public static BeyondRetentionException journal(String drillId, String journalTopic, long missing, long found) {
        return new BeyondRetentionException("the journal of '" + drillId + "' on " + journalTopic + " "
                + (missing == 0 ? "begins at batch " + found : "misses batch " + missing + " (next found: " + found + ")")
                + ": batches before " + found + " are beyond the journal's retention");
    }
}

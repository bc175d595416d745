package io.failoverdrill.engine.core.signal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The write ledger at one instant of event time: writes acknowledged to clients, applied by a writer, enqueued by a
 * frozen region; lost = acknowledged and never applied; applied twice = applied by two regions; applied by another
 * writer = applied by a region other than the promoted one after the promotion.
 */
public record WriteTally(long acked, long applied, long enqueued, List<String> lostIds, List<String> appliedTwiceIds,
                         long appliedByOtherWriter, List<String> otherWriters) {
    /** How many ids evidence lists at most. */
    static final int SAMPLES = 10;

    public long lost() {
        return lostIds.size();
    }

    public long appliedTwice() {
        return appliedTwiceIds.size();
    }

    public Map<String, Object> toEvidence() {
        Map<String, Object> m = new TreeMap<>();
        m.put("acked", acked);
        m.put("applied", applied);
        m.put("enqueued", enqueued);
        m.put("lost", lost());
        m.put("lost_ids", lostIds.stream().limit(SAMPLES).toList());
        m.put("applied_twice", appliedTwice());
        m.put("applied_twice_ids", appliedTwiceIds.stream().limit(SAMPLES).toList());
        m.put("applied_by_other_writer", appliedByOtherWriter);
        m.put("other_writers", otherWriters);
        return m;
    }
}

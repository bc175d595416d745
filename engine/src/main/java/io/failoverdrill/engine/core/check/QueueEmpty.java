package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.event.Telemetry;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pre-check: every region's backlog is under {@code acceptance.queue_max} items (backlog events). Value: the longest. */
public final class QueueEmpty extends Check {
    public static final String NAME = "queue_empty";

    public QueueEmpty() {
        super(NAME);
    }

    /** Each region's longest queue over its observers (null: no data). */
    record LongestByRegion(Map<String, Long> longest) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            longest.forEach((r, v) -> m.put(r, v == null ? "no data" : v));
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        Map<String, Long> byRegion = new TreeMap<>();
        long worst = -1;
        boolean allHaveData = true;
        for (RegionSignals r : facts.regions().values()) {
            List<Long> lengths = Latest.values(r.backlog(), Telemetry.Backlog::length);
            allHaveData &= !lengths.isEmpty();
            long max = lengths.stream().mapToLong(Long::longValue).max().orElse(-1);
            byRegion.put(r.region(), lengths.isEmpty() ? null : max);
            worst = Math.max(worst, max);
        }
        long max = facts.plan().acceptance().queueMax();
        boolean pass = allHaveData && worst < max;
        return new CheckResult(NAME, pass, worst < 0 ? null : worst, max, new LongestByRegion(byRegion));
    }
}

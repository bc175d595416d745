package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;
import java.util.TreeMap;

/**
 * Live check: the oldest queued item of a serving region, at any observed second, is younger than the backlog
 * drain target ({@code acceptance.backlog_drain_s}). Value in seconds. Signal: backlog events.
 */
public final class QueueBacklog extends Check {
    public static final String NAME = "queue_backlog";

    public QueueBacklog() {
        super(NAME);
    }

    record Ages(LatencyStats oldestAgeMs, LatencyStats length) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("measure", "oldest item age, s");
            m.put("oldest_age_ms", oldestAgeMs.toEvidence());
            m.put("length", length.toEvidence());
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        double worstMs = facts.live().worstBacklogAgeMs();
        double limitS = facts.plan().acceptance().backlogDrainS();
        if (worstMs < 0) {
            return CheckResult.noData(NAME, limitS, "backlog events");
        }
        return new CheckResult(NAME, worstMs <= limitS * 1000, Numbers.round3(worstMs / 1000), limitS,
                new Ages(facts.live().backlogAges(), facts.live().backlogLengths()));
    }
}

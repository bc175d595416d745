package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RegionSignals;

import java.util.Map;
import java.util.TreeMap;

/**
 * Acceptance target: the queue backlog drains back to its pre-drill baseline within
 * {@code acceptance.backlog_drain_s} of the evacuation decision. Value: seconds to drain (or so far). Signal:
 * backlog events.
 */
public final class BacklogDrain extends Check {
    public static final String NAME = "backlog_drain";

    public BacklogDrain() {
        super(NAME);
    }

    record Drain(long preDrillBaseline, long current, boolean drained) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("pre_drill_baseline", preDrillBaseline);
            m.put("current", current);
            m.put("drained", drained);
            return m;
        }
    }

    /** The longest backlog over every region now (-1 without data). */
    static long longestBacklog(DrillFacts facts) {
        return facts.regions().values().stream().mapToLong(RegionSignals::backlogLength).max().orElse(-1);
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        LiveRecord live = facts.live();
        double limit = facts.plan().acceptance().backlogDrainS();
        if (!live.backlogSeen()) {
            return CheckResult.noData(NAME, limit, "backlog events");
        }
        boolean drained = live.backlogDrainedMs() != Long.MIN_VALUE;
        long until = drained ? live.backlogDrainedMs() : facts.nowMs();
        double seconds = Numbers.round3((until - facts.milestones().evacuateDecisionMs()) / 1000.0);
        return new CheckResult(NAME, drained && seconds <= limit, seconds, limit,
                new Drain(live.backlogBaseline(), longestBacklog(facts), drained));
    }
}

package io.failoverdrill.engine.core.check;

import java.util.Map;

/** Post check: the backlog is back to its pre-drill baseline (or zero) at closeout. Signal: backlog events. */
public final class BacklogZero extends Check {
    public static final String NAME = "backlog_zero";

    public BacklogZero() {
        super(NAME);
    }

    record AgainstBaseline(long preDrillBaseline) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("pre_drill_baseline", preDrillBaseline);
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        long length = BacklogDrain.longestBacklog(facts);
        if (length < 0) {
            return CheckResult.noData(NAME, 0, "backlog events");
        }
        long baseline = facts.live().backlogBaseline();
        long limit = Math.max(0, baseline);
        return new CheckResult(NAME, length <= limit, length, limit, new AgainstBaseline(baseline));
    }
}

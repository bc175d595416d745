package io.failoverdrill.engine.core.check;

import java.util.Map;

/** Live check {@code index_hash}: INDEX_HASH equal across serving regions at every observed second. */
public final class IndexHashLive extends Check {
    public static final String NAME = "index_hash";

    public IndexHashLive() {
        super(NAME);
    }

    record Parity() implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("measure", "INDEX_HASH equal across serving regions");
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        LiveRecord live = facts.live();
        if (!live.indexSeen()) {
            return CheckResult.noData(NAME, true, "index_meta events during observe");
        }
        return new CheckResult(NAME, !live.parityBroken(), !live.parityBroken(), true, new Parity());
    }
}

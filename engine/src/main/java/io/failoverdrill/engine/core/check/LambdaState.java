package io.failoverdrill.engine.core.check;

import java.util.Map;

/** Live check: no chaotic λ answer on a serving region while observing. Signal: rag_probe events. */
public final class LambdaState extends Check {
    public static final String NAME = "lambda_state";

    public LambdaState() {
        super(NAME);
    }

    record ChaoticSeen(long samples) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("samples", samples, "measure", "chaotic λ seen");
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        LiveRecord live = facts.live();
        if (live.lambdaSamples() == 0) {
            return CheckResult.noData(NAME, 0, "rag_probe events during observe");
        }
        return new CheckResult(NAME, live.chaotic() == 0, live.chaotic(), 0, new ChaoticSeen(live.lambdaSamples()));
    }
}

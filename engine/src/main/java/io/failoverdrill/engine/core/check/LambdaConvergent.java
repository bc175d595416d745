package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RagView;

import java.util.Map;
import java.util.TreeMap;

/**
 * Acceptance target: λ convergent for the probe set after the drill — a convergent share of at least
 * {@code acceptance.lambda_convergent_min} (0.8) and no chaotic answer. Signal: rag_probe events.
 */
public final class LambdaConvergent extends RagCheck {
    public static final String NAME = "lambda_convergent";

    public LambdaConvergent(RagView after) {
        super(NAME, after, "rag_probe events");
    }

    record Counts(Map<String, Long> before, Map<String, Long> after, double minShare) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("after", new TreeMap<String, Object>(after));
            m.put("before", before == null ? "no data" : new TreeMap<String, Object>(before));
            m.put("rule", "convergent share ≥ " + minShare + " and no chaotic");
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        double minShare = facts.plan().acceptance().lambdaConvergentMin();
        CheckResult missing = missing(facts, minShare);
        if (missing != null) {
            return missing;
        }
        Map<String, Long> counts = after.lambdaCounts();
        long n = after.questions();
        double convergent = n == 0 ? 0 : counts.getOrDefault("convergent", 0L) / (double) n;
        long chaotic = counts.getOrDefault("chaotic", 0L);
        RagView before = facts.ragBefore();
        return new CheckResult(NAME, convergent >= minShare && chaotic == 0, Numbers.round3(convergent), minShare,
                new Counts(before == null || before.isEmpty() ? null : before.lambdaCounts(), counts, minShare));
    }

}

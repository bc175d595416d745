package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RagView;

import java.util.Map;
import java.util.TreeMap;

/**
 * Acceptance target: λ convergent for the probe set after the drill — a convergent share of at least
 * {@link #MIN_SHARE} and no chaotic answer. Signal: rag_probe events.
 */
public final class LambdaConvergent extends Check {
    public static final String NAME = "lambda_convergent";
    public static final double MIN_SHARE = 0.8;
    private final RagView after;

    public LambdaConvergent(RagView after) {
        super(NAME);
        this.after = after;
    }

    record Counts(Map<String, Long> before, Map<String, Long> after) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("after", new TreeMap<String, Object>(after));
            m.put("before", before == null ? "no data" : new TreeMap<String, Object>(before));
            m.put("rule", "convergent share ≥ 0.8 and no chaotic");
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        if (after.isEmpty()) {
            return CheckResult.noData(NAME, MIN_SHARE, "rag_probe events");
        }
        Map<String, Long> counts = after.lambdaCounts();
        long n = after.questions();
        double convergent = n == 0 ? 0 : counts.getOrDefault("convergent", 0L) / (double) n;
        long chaotic = counts.getOrDefault("chaotic", 0L);
        RagView before = facts.ragBefore();
        return new CheckResult(NAME, convergent >= MIN_SHARE && chaotic == 0, Numbers.round3(convergent), MIN_SHARE,
                new Counts(before == null || before.isEmpty() ? null : before.lambdaCounts(), counts));
    }
}

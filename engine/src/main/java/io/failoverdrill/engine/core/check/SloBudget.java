package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;

import java.util.Map;
import java.util.TreeMap;

/**
 * Seed verification: "SLO budget impact recorded and accepted" — the share of the SLO window's error budget the drill
 * spent: (failed ÷ all requests on serving regions since the start) × (drill length ÷ {@code slo.window_s}) ÷
 * (1 − {@code slo.objective}), i.e. as if the window's traffic ran at the drill's rate. Failed: every error class
 * but http_4xx. Limit: {@code slo.max_budget_share}.
 */
public final class SloBudget extends Check {
    public static final String NAME = "slo_budget";

    public SloBudget() {
        super(NAME);
    }

    record Spent(double objective, long windowS, long requests, long failures, double drillS) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("objective", objective);
            m.put("window_s", windowS);
            m.put("requests", requests);
            m.put("failed_requests", failures);
            m.put("error_rate", Numbers.round(requests == 0 ? 0 : (double) failures / requests, 5));
            m.put("drill_s", Numbers.round3(drillS));
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        var slo = facts.plan().slo();
        long requests = facts.live().requests();
        if (requests == 0) {
            return CheckResult.noData(NAME, slo.maxBudgetShare(), "request events on a serving region since the drill started");
        }
        long failures = facts.live().budgetFailures();
        double drillS = (facts.nowMs() - facts.milestones().startedMs()) / 1000.0;
        double spent = (double) failures / requests * (drillS / slo.windowS()) / (1 - slo.objective());
        double value = Numbers.round(spent, 6);
        return new CheckResult(NAME, spent <= slo.maxBudgetShare(), value, slo.maxBudgetShare(),
                new Spent(slo.objective(), slo.windowS(), requests, failures, drillS));
    }
}

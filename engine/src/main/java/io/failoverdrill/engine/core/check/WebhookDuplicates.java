package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.WebhookTally;

import java.util.Map;

/**
 * Verification: no webhook delivered twice under one dedupe key, and none from a region other than
 * {@code webhook_policy.emit_from} once webhooks were routed there. Signal: webhook events.
 */
public final class WebhookDuplicates extends Check {
    public static final String NAME = "webhook_duplicates";

    public WebhookDuplicates() {
        super(NAME);
    }

    record Deliveries(WebhookTally tally, String emitFrom) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = tally.toEvidence();
            m.put("emit_from", emitFrom);
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        String emitFrom = facts.plan().webhookPolicy().emitFrom();
        WebhookTally t = facts.ledgers().webhooks(facts.nowMs(), emitFrom, facts.milestones().webhooksRoutedMs());
        long repeated = t.repeatedKeys().size();
        return new CheckResult(NAME, repeated == 0 && t.fromWrongRegion() == 0, repeated, 0, new Deliveries(t, emitFrom));
    }
}

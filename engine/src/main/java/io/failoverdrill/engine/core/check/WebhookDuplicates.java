package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.WebhookTally;

import java.util.Map;

/**
 * Verification: since the drill started, no webhook delivered twice under one dedupe key (recomputed from
 * {@code webhook_policy.dedupe_key}'s fields where the events carry them; a reported key that differs from the
 * recomputed one fails too), and none from a region other than {@code webhook_policy.emit_from} once webhooks were
 * routed there. Signal: webhook events.
 */
public final class WebhookDuplicates extends Check {
    public static final String NAME = "webhook_duplicates";

    public WebhookDuplicates() {
        super(NAME);
    }

    record Deliveries(WebhookTally tally, String emitFrom, String dedupeKey, boolean routed) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = tally.toEvidence();
            m.put("emit_from", emitFrom);
            m.put("dedupe_key", dedupeKey);
            m.put("routed_to_emit_from", routed);
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        String emitFrom = facts.plan().webhookPolicy().emitFrom();
        long routed = facts.milestones().webhooksRoutedMs();
        WebhookTally t = facts.ledgers().webhooks(facts.milestones().startedMs(), facts.nowMs(), emitFrom, routed);
        if (t.deliveries() == 0) {
            return CheckResult.noData(NAME, 0, "webhook events from any region since the drill started");
        }
        long repeated = t.repeatedKeys().size();
        boolean pass = repeated == 0 && t.fromWrongRegion() == 0 && t.keyMismatches().isEmpty();
        return new CheckResult(NAME, pass, repeated, 0, new Deliveries(t, emitFrom,
                facts.plan().webhookPolicy().dedupeKey(), routed != Long.MAX_VALUE));
    }
}

package io.failoverdrill.engine.core.drill;

import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.plan.DrillType;

import java.util.Map;

/**
 * D) Webhook and egress reroute: the region fails (a brownout), and third-party webhooks are then delivered only
 * from the survivor ({@code webhook_policy.emit_from}) with no duplicate.
 * <ul>
 *   <li>precheck, evacuate, observe: as a brownout;</li>
 *   <li>promote: one writer, stick, and {@code route_webhooks} to the survivor;</li>
 *   <li>verify: every check; {@code webhook_duplicates} also fails a delivery from the evacuated region after the
 *       reroute was applied.</li>
 * </ul>
 */
final class WebhookReroute implements DrillScript {
    @Override
    public DrillType type() {
        return DrillType.WEBHOOK_REROUTE;
    }

    @Override
    public Scenario scenario() {
        return new Scenario("brownout", Scenario.FaultTiming.ON_EVACUATE, false);
    }

    @Override
    public void promote(Drill d, long nowMs, Map<String, Object> evidence) {
        if (d.promoteSurvivor(nowMs, evidence)) {
            d.issue(nowMs, d.promoteStep(), "promote.webhooks_from_survivor", evidence,
                    new CommandBody.RouteWebhooks(d.plan().webhookPolicy().emitFrom()));
        }
    }
}

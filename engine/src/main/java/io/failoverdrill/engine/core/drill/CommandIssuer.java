package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.Milestones;
import io.failoverdrill.engine.core.rule.DecisionLog;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.event.AckEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Issues a drill's commands: checks each against the {@link SafetyInvariants} first, numbers it in the decision log
 * (content-derived id), and keeps the ack bookkeeping — which step each command belongs to, what an applied ack
 * changes (frozen regions, the route flip, the writer, webhook routing).
 */
final class CommandIssuer {
    private final SafetyInvariants safety;
    private final DecisionLog log;
    private final Milestones milestones;
    private final Map<String, Command> issued = new HashMap<>();
    private final List<CommandStep> steps = new ArrayList<>();

    CommandIssuer(List<String> regions, DecisionLog log, Milestones milestones) {
        this.safety = new SafetyInvariants(regions, milestones);
        this.log = log;
        this.milestones = milestones;
    }

    /** A new group of commands whose acks the drill waits for together. */
    CommandStep newStep() {
        CommandStep s = new CommandStep();
        steps.add(s);
        return s;
    }

    /** Why {@code body} must not be issued now, or empty when it is safe. */
    Optional<String> violation(CommandBody body, long nowMs, Set<String> healthy, boolean returnAllowed) {
        return safety.violation(body, nowMs, healthy, returnAllowed);
    }

    /** Issues {@code body} (already checked) into {@code step}, if any. */
    Command issue(long nowMs, CommandStep step, String rule, Map<String, Object> evidence, CommandBody body) {
        safety.issued(body);
        if (body instanceof CommandBody.Stick s) {
            milestones.stickIssued(s.region(), nowMs + s.minutes() * 60_000L); // the safety rules' lock-out too
        } else if (body instanceof CommandBody.PromoteWriter) {
            milestones.promotionDecided(nowMs);
        }
        Command c = log.command(nowMs, rule, evidence, body);
        issued.put(c.commandId(), c);
        if (step != null) {
            step.add(c);
        }
        return c;
    }

    /** Records an ack; an ack for a command this drill did not issue changes nothing. */
    void ack(AckEvent a) {
        Command c = issued.get(a.commandId());
        if (c == null) {
            return;
        }
        steps.forEach(s -> s.ack(a));
        if (!a.applied()) {
            return;
        }
        if (c.body() instanceof CommandBody.FreezeWrites f) {
            safety.frozen(f.regions());
        } else if (c.body() instanceof CommandBody.UnfreezeWrites u) {
            safety.unfrozen(u.regions());
        } else if (c.body() instanceof CommandBody.SetWeights) {
            milestones.routeFlipped(a.tsMs());
        } else if (c.body() instanceof CommandBody.PromoteWriter) {
            milestones.writerPromoted(a.tsMs());
        } else if (c.body() instanceof CommandBody.RouteWebhooks) {
            milestones.webhooksRouted(a.tsMs());
        } else if (c.body() instanceof CommandBody.Stick) {
            milestones.stickApplied(a.tsMs());
        }
    }

    /** The weights last issued (empty before any). */
    Map<String, Integer> weights() {
        return safety.weights();
    }
}

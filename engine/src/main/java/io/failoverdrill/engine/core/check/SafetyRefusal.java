package io.failoverdrill.engine.core.check;

import io.failoverdrill.schemas.decision.CommandBody;

import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict {@code safety_invariant}: a command the drill was about to issue would have broken a safety invariant
 * (weights, single writer, stick lock-out, serving nobody healthy), so it was refused and the drill stops.
 */
public final class SafetyRefusal {
    public static final String NAME = "safety_invariant";

    private SafetyRefusal() {
    }

    record Refused(CommandBody body, String rule) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("refused", body.type());
            m.put("payload", body.fields());
            m.put("rule", rule);
            return m;
        }
    }

    public static CheckResult verdict(CommandBody body, String rule) {
        return new CheckResult(NAME, false, body.type(), "no invariant broken", new Refused(body, rule));
    }
}

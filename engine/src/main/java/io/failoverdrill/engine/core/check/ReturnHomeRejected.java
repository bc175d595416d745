package io.failoverdrill.engine.core.check;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The verdict {@code return_home}: an actuator rejected a command of the return-to-home steps. */
public final class ReturnHomeRejected {
    public static final String NAME = "return_home";

    private ReturnHomeRejected() {
    }

    /** @param commands per command type of the step: its seq and ack */
    record Rejected(Map<String, Object> commands, List<String> rejected) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>(commands);
            m.put("rejected", rejected);
            return m;
        }
    }

    public static CheckResult verdict(Map<String, Object> commands, List<String> rejected) {
        return new CheckResult(NAME, false, null, "every command applied", new Rejected(commands, rejected));
    }
}

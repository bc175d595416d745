package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.Numbers;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Acceptance target: evacuation decision to clean cutover ≤ {@code acceptance.cutover_s} — every command of the
 * evacuate and promote steps acked {@code applied}. Value: seconds from the decision to the last ack. A rejected
 * command, or acks still missing at the deadline, fail it.
 */
public final class CutoverTime {
    public static final String NAME = "cutover_time";

    private CutoverTime() {
    }

    /**
     * @param commands per command type: its seq and ack (status, delay, by whom)
     * @param lastAckAfterMs the last ack's delay after the decision (clean cutovers only)
     */
    record Cutover(long decisionTsMs, Map<String, Object> commands, Long lastAckAfterMs, List<String> rejected,
                   String cause) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("decision_ts_ms", decisionTsMs);
            m.put("commands", commands);
            if (lastAckAfterMs != null) {
                m.put("last_ack_ms_after_decision", lastAckAfterMs);
            }
            if (cause != null) {
                m.put("rejected", rejected);
                m.put("cause", cause);
            }
            return m;
        }
    }

    /** Every command applied: the cutover took from the decision to the last ack. */
    public static CheckResult clean(double limitS, long decisionMs, long lastAckMs, Map<String, Object> commands) {
        double seconds = Numbers.round3((lastAckMs - decisionMs) / 1000.0);
        return new CheckResult(NAME, seconds <= limitS, seconds, limitS,
                new Cutover(decisionMs, commands, lastAckMs - decisionMs, null, null));
    }

    /** A command was rejected ({@code rejected} its types), or acks were missing at {@code nowMs}, the deadline. */
    public static CheckResult failed(double limitS, long decisionMs, long nowMs, Map<String, Object> commands,
                                     List<String> rejected) {
        Object value = rejected.isEmpty() ? Numbers.round3((nowMs - decisionMs) / 1000.0) : null;
        String cause = rejected.isEmpty() ? "acks missing at the deadline" : "command rejected by actuator";
        return new CheckResult(NAME, false, value, limitS, new Cutover(decisionMs, commands, null, rejected, cause));
    }
}

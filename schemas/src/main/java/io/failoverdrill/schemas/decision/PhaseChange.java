package io.failoverdrill.schemas.decision;

import io.failoverdrill.schemas.Timestamps;

import java.util.Map;
import java.util.TreeMap;

/**
 * The drill moved from one phase to another at event time {@code tsMs}. {@code evidence} is null except where a
 * phase change rests on a record the log would not otherwise show: the emergency stop behind {@code stopped}.
 */
public record PhaseChange(String drillId, long seq, long tsMs, Phase from, Phase to, Map<String, Object> evidence)
        implements Decision {
    public PhaseChange(String drillId, long seq, long tsMs, Phase from, Phase to) {
        this(drillId, seq, tsMs, from, to, null);
    }

    @Override
    public String type() {
        return "phase";
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("type", "phase");
        m.put("drill_id", drillId);
        m.put("seq", seq);
        m.put("ts", Timestamps.format(tsMs));
        m.put("from", from.wire());
        m.put("to", to.wire());
        if (evidence != null) {
            m.put("evidence", new TreeMap<>(evidence));
        }
        return m;
    }
}

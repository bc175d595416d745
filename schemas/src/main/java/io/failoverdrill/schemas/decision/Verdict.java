package io.failoverdrill.schemas.decision;

import io.failoverdrill.schemas.Timestamps;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of one check or acceptance target: {@code value} measured against {@code limit} (plain JSON
 * values), with the evidence it rests on.
 */
public record Verdict(String drillId, long seq, long tsMs, String check, VerdictStatus verdictStatus, Object value,
                      Object limit, SortedMap<String, Object> evidence) implements Decision {
    public Verdict {
        evidence = evidence == null ? new TreeMap<>() : new TreeMap<>(evidence);
    }

    public boolean pass() {
        return verdictStatus == VerdictStatus.PASS;
    }

    /** A failed verdict ({@code not_applicable} is neither a pass nor a failure). */
    public boolean failed() {
        return verdictStatus == VerdictStatus.FAIL;
    }

    @Override
    public String type() {
        return "verdict";
    }

    public String status() {
        return verdictStatus.wire();
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("type", "verdict");
        m.put("drill_id", drillId);
        m.put("seq", seq);
        m.put("ts", Timestamps.format(tsMs));
        m.put("check", check);
        m.put("status", status());
        m.put("value", value);
        m.put("limit", limit);
        m.put("evidence", evidence);
        return m;
    }
}

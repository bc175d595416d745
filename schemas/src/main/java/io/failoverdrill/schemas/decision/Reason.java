package io.failoverdrill.schemas.decision;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Why a command was issued: the rule that fired and the evidence it saw (plain JSON values). */
public record Reason(String rule, SortedMap<String, Object> evidence) {
    public Reason {
        evidence = evidence == null ? new TreeMap<>() : new TreeMap<>(evidence);
    }

    public Map<String, Object> toJson() {
        return Map.of("rule", rule, "evidence", evidence);
    }
}

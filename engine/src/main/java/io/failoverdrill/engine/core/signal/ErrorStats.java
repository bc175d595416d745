package io.failoverdrill.engine.core.signal;

import java.util.Map;
import java.util.TreeMap;

/** Request and error counts over a window; {@code byClass} holds the non-zero error classes. */
public record ErrorStats(long requests, long errors, Map<String, Long> byClass) {
    public double rate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    public Map<String, Object> toEvidence() {
        Map<String, Object> m = new TreeMap<>();
        m.put("requests", requests);
        m.put("errors", errors);
        m.put("error_rate", Numbers.round3(rate()));
        m.put("by_class", new TreeMap<String, Object>(byClass));
        return m;
    }
}

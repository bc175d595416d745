package io.failoverdrill.engine.core;

import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.RegionSignals;

import java.util.Map;
import java.util.TreeMap;

/** The per-region signals a progress display shows: p95 (ms) and error rate over the last {@code windowS} seconds. */
final class Signals {
    private Signals() {
    }

    static Map<String, Object> summary(Iterable<RegionSignals> regions, long nowMs, int windowS) {
        long until = Math.floorDiv(nowMs, 1000) * 1000;
        Map<String, Object> m = new TreeMap<>();
        for (RegionSignals r : regions) {
            LatencyStats p = r.latency(until, windowS, false);
            var errors = r.errors(until, windowS);
            Map<String, Object> row = new TreeMap<>();
            row.put("p95_ms", p.isEmpty() ? null : Numbers.round1(p.p95()));
            row.put("error_rate", errors.requests() == 0 ? null : Numbers.round3(errors.rate()));
            m.put(r.region(), row);
        }
        return m;
    }
}

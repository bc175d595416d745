package io.failoverdrill.engine.core.check;

import io.failoverdrill.schemas.event.Telemetry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verification: INDEX_HASH parity across every region of the plan (each region's observers agreeing). Value: the
 * number of distinct hashes; limit 1. Signal: index_meta events.
 */
public final class IndexHashParity extends Check {
    public static final String NAME = "index_hash_parity";

    public IndexHashParity() {
        super(NAME);
    }

    /** Each region's agreed index metadata (null: no data or its observers disagree). */
    record IndexByRegion(Map<String, Telemetry.IndexMeta> byRegion) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            byRegion.forEach((r, meta) -> m.put(r, meta == null ? "no data or observers disagree"
                    : Map.of("index_hash", meta.indexHash(), "metric", meta.metric(), "analyzer", meta.analyzer(),
                    "build_ts_ms", meta.buildTsMs())));
            return m;
        }
    }

    /** Every region's agreed index metadata, in plan order. */
    static Map<String, Telemetry.IndexMeta> agreed(DrillFacts facts) {
        Map<String, Telemetry.IndexMeta> byRegion = new LinkedHashMap<>();
        facts.plan().regions().forEach(r -> byRegion.put(r, facts.regions().get(r).agreedIndex()));
        return byRegion;
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        Map<String, Telemetry.IndexMeta> byRegion = agreed(facts);
        Set<String> hashes = new TreeSet<>();
        boolean all = true;
        for (Telemetry.IndexMeta m : byRegion.values()) {
            all &= m != null;
            if (m != null) {
                hashes.add(m.indexHash());
            }
        }
        return new CheckResult(NAME, all && hashes.size() == 1, (long) hashes.size(), 1, new IndexByRegion(byRegion));
    }
}

package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.event.Telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Pre-checks on index metadata: every observer of every region reports the same value of one field — the
 * INDEX_HASH ({@code index_hash_equal}) or the environment, metric|analyzer|embed_model ({@code env_parity}).
 * Value: the number of distinct values; limit 1.
 */
public final class IndexFieldParity extends Check {
    public static final IndexFieldParity INDEX_HASH_EQUAL = new IndexFieldParity("index_hash_equal", Telemetry.IndexMeta::indexHash);
    public static final IndexFieldParity ENV_PARITY = new IndexFieldParity("env_parity",
            m -> m.metric() + "|" + m.analyzer() + "|" + Objects.toString(m.embedModel(), "-"));

    private final Function<Telemetry.IndexMeta, String> field;

    private IndexFieldParity(String name, Function<Telemetry.IndexMeta, String> field) {
        super(name);
        this.field = field;
    }

    /** Each region's distinct values, sorted (empty: no data). */
    record ValuesByRegion(Map<String, List<String>> values) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            values.forEach((r, v) -> m.put(r, v.isEmpty() ? "no data" : v));
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        Map<String, List<String>> byRegion = new TreeMap<>();
        TreeSet<String> distinct = new TreeSet<>();
        boolean allHaveData = true;
        for (RegionSignals r : facts.regions().values()) {
            List<String> values = Latest.values(r.index(), field);
            allHaveData &= !values.isEmpty();
            distinct.addAll(values);
            byRegion.put(r.region(), new ArrayList<>(new TreeSet<>(values)));
        }
        boolean pass = allHaveData && distinct.size() == 1;
        return new CheckResult(name(), pass, distinct.size(), 1, new ValuesByRegion(byRegion));
    }
}

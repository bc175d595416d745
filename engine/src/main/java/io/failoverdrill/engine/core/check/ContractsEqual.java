package io.failoverdrill.engine.core.check;

import io.failoverdrill.schemas.event.Telemetry;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Post check: identical RAG contract across regions — metric, analyzer, embedding model and contract fields of each
 * region's agreed index metadata. Value: the number of distinct contracts; limit 1. Signal: index_meta events that
 * carry {@code contract_fields}, from every region.
 */
public final class ContractsEqual extends Check {
    public static final String NAME = "contracts_equal";

    public ContractsEqual() {
        super(NAME);
    }

    /** Each region's contract as {@code metric|analyzer|embed_model|contract_fields} (null: no data). */
    record ContractByRegion(Map<String, String> byRegion) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            byRegion.forEach((r, c) -> m.put(r, c == null ? "no data" : c));
            m.put("compared", "metric|analyzer|embed_model|contract_fields");
            return m;
        }
    }

    static String contract(Telemetry.IndexMeta m) {
        return m.metric() + "|" + m.analyzer() + "|" + (m.embedModel() == null ? "-" : m.embedModel()) + "|"
                + (m.contractFields() == null ? "" : String.join(",", new TreeSet<>(m.contractFields())));
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        Map<String, String> byRegion = new TreeMap<>();
        Set<String> contracts = new TreeSet<>();
        boolean all = true;
        for (Map.Entry<String, Telemetry.IndexMeta> e : IndexHashParity.agreed(facts).entrySet()) {
            if (e.getValue() != null && e.getValue().contractFields() == null) {
                return CheckResult.noData(NAME, 1, "contract_fields in the index_meta events of region " + e.getKey());
            }
            String c = e.getValue() == null ? null : contract(e.getValue());
            byRegion.put(e.getKey(), c);
            all &= c != null;
            if (c != null) {
                contracts.add(c);
            }
        }
        return new CheckResult(NAME, all && contracts.size() == 1, (long) contracts.size(), 1, new ContractByRegion(byRegion));
    }
}

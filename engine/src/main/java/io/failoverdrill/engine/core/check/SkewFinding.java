package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.event.Telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Index skew as the index metadata shows it now: every region whose agreed INDEX_HASH, metric or analyzer differs
 * from the reference region's (the survivor, which holds the artifact to rebuild to).
 *
 * @param byRegion each region's agreed index metadata (null: no data, or its observers disagree)
 */
public record SkewFinding(String reference, Map<String, Telemetry.IndexMeta> byRegion, List<String> skewed) {
    public static SkewFinding of(Map<String, RegionSignals> regions, String reference) {
        Telemetry.IndexMeta ref = regions.get(reference).agreedIndex();
        Map<String, Telemetry.IndexMeta> byRegion = new LinkedHashMap<>();
        List<String> skewed = new ArrayList<>();
        for (RegionSignals r : regions.values()) {
            Telemetry.IndexMeta m = r.agreedIndex();
            byRegion.put(r.region(), m);
            if (!r.region().equals(reference) && m != null && ref != null && !RegionSignals.sameIndex(m, ref)) {
                skewed.add(r.region());
            }
        }
        return new SkewFinding(reference, byRegion, List.copyOf(skewed));
    }

    /** The INDEX_HASH to rebuild skewed regions to (the reference's), or null without data. */
    public String artifactHash() {
        Telemetry.IndexMeta ref = byRegion.get(reference);
        return ref == null ? null : ref.indexHash();
    }

    public boolean detected() {
        return artifactHash() != null && !skewed.isEmpty();
    }

    /** Verdict {@code index_skew_detected}: at least one region differs from the reference. */
    public CheckResult detectedVerdict() {
        return new CheckResult("index_skew_detected", detected(), (long) skewed.size(), ">= 1", new Found(this));
    }

    /** Verdict {@code index_reuse_refused}: the skewed regions will not be served until rebuilt. */
    public CheckResult refusedVerdict() {
        return new CheckResult("index_reuse_refused", detected(), detected() ? skewed : null, "rebuild before reuse",
                new Refusal(artifactHash()));
    }

    record Found(SkewFinding finding) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            finding.byRegion.forEach((r, meta) -> m.put(r, meta == null ? "no data"
                    : Map.of("index_hash", meta.indexHash(), "metric", meta.metric(), "analyzer", meta.analyzer())));
            m.put("reference", finding.reference);
            m.put("skewed", finding.skewed);
            return m;
        }
    }

    record Refusal(String artifactHash) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("rule", "a region whose INDEX_HASH, metric or analyzer differs from the survivor's "
                    + "is not served and is rebuilt from the survivor's artifact", "artifact_hash",
                    artifactHash == null ? "no data" : artifactHash);
        }
    }
}

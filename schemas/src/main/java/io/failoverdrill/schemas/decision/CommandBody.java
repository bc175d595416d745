package io.failoverdrill.schemas.decision;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The type-specific fields of a command (docs/contracts.md §4). */
public sealed interface CommandBody {
    String type();

    /** Own fields with their wire names; this is also the "canonical payload" hashed into the command id. */
    Map<String, Object> fields();

    /** Which command-topic family carries it. */
    default Family family() {
        return Family.CUTOVER;
    }

    enum Family { CUTOVER, CLAMP }

    /** Routing weights per region, integers 0–100 summing to 100. */
    record SetWeights(SortedMap<String, Integer> weights) implements CommandBody {
        public SetWeights {
            weights = new TreeMap<>(weights);
        }

        public String type() {
            return "set_weights";
        }

        public Map<String, Object> fields() {
            return Map.of("weights", new TreeMap<String, Object>(weights));
        }
    }

    /** Freeze writes in {@code regions}: accept, enqueue, no direct store writes. */
    record FreezeWrites(List<String> regions, String mode) implements CommandBody {
        public FreezeWrites {
            regions = List.copyOf(regions);
        }

        public String type() {
            return "freeze_writes";
        }

        public Map<String, Object> fields() {
            return Map.of("regions", regions, "mode", mode);
        }
    }

    record UnfreezeWrites(List<String> regions) implements CommandBody {
        public UnfreezeWrites {
            regions = List.copyOf(regions);
        }

        public String type() {
            return "unfreeze_writes";
        }

        public Map<String, Object> fields() {
            return Map.of("regions", regions);
        }
    }

    /** Make {@code region} the one region that takes writes. */
    record PromoteWriter(String region) implements CommandBody {
        public String type() {
            return "promote_writer";
        }

        public Map<String, Object> fields() {
            return Map.of("region", region);
        }
    }

    /** Pin ongoing sessions to {@code region} for {@code minutes}. */
    record Stick(String region, int minutes) implements CommandBody {
        public String type() {
            return "stick";
        }

        public Map<String, Object> fields() {
            return Map.of("region", region, "minutes", minutes);
        }
    }

    record RouteWebhooks(String emitFrom) implements CommandBody {
        public String type() {
            return "route_webhooks";
        }

        public Map<String, Object> fields() {
            return Map.of("emit_from", emitFrom);
        }
    }

    /** Rebuild {@code region}'s index from the artifact whose INDEX_HASH is {@code artifactHash}. */
    record RebuildIndex(String region, String artifactHash) implements CommandBody {
        public String type() {
            return "rebuild_index";
        }

        public Map<String, Object> fields() {
            return Map.of("region", region, "artifact_hash", artifactHash);
        }
    }

    record PurgeCache(String region, List<String> prefixes) implements CommandBody {
        public String type() {
            return "purge_cache";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = new TreeMap<>();
            m.put("region", region);
            if (prefixes != null) {
                m.put("prefixes", prefixes);
            }
            return m;
        }
    }

    record RewarmCache(String region) implements CommandBody {
        public String type() {
            return "rewarm_cache";
        }

        public Map<String, Object> fields() {
            return Map.of("region", region);
        }
    }

    /** Clamp {@code region}: concurrency limit and/or retrieval k (each ≥ 1, null = unchanged). */
    record Clamp(String region, Integer concurrencyLimit, Integer retrievalK) implements CommandBody {
        public String type() {
            return "clamp";
        }

        public Family family() {
            return Family.CLAMP;
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = new TreeMap<>();
            m.put("region", region);
            if (concurrencyLimit != null) {
                m.put("concurrency_limit", concurrencyLimit);
            }
            if (retrievalK != null) {
                m.put("retrieval_k", retrievalK);
            }
            return m;
        }
    }

    record ReleaseClamp(String region) implements CommandBody {
        public String type() {
            return "release_clamp";
        }

        public Family family() {
            return Family.CLAMP;
        }

        public Map<String, Object> fields() {
            return Map.of("region", region);
        }
    }
}

package io.failoverdrill.engine.report;

import io.failoverdrill.schemas.CanonicalJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a verdict of the decision log as an operator would: one sentence saying what was measured against which
 * limit and what came of it ("no data" and "not applicable" said as such), and the evidence as small table rows
 * (per region where the evidence is per region). Works on the logged JSON, so a replayed log reads the same.
 */
final class VerdictSentences {
    /** What each verdict measures, in the words of the seed's acceptance targets and checks. */
    private static final Map<String, String> MEASURES = Map.ofEntries(
            Map.entry("health_ready", "every observer of every region reports ready"),
            Map.entry("baseline_p95", "the survivor's baseline p95 (ms), every region with enough samples"),
            Map.entry("env_parity", "distinct metric/analyzer/embedding environments across regions"),
            Map.entry("index_hash_equal", "distinct INDEX_HASH values across regions before the drill"),
            Map.entry("queue_empty", "the longest queue before the drill (items)"),
            Map.entry("cache_warm", "the lowest cache hit ratio before the drill"),
            Map.entry("index_skew_detected", "regions whose index differs from the survivor's"),
            Map.entry("index_reuse_refused", "skewed regions refused until rebuilt"),
            Map.entry("outage_detected", "observers that saw the region down"),
            Map.entry("survivor_healthy", "regions given traffic that were not healthy"),
            Map.entry("cutover_time", "seconds from the evacuation decision to the last applied ack"),
            Map.entry("p95_latency", "the worst p95 (ms) of a serving region while observing"),
            Map.entry("error_rate", "the worst error rate of a serving region while observing"),
            Map.entry("queue_backlog", "the oldest queued item's age while observing (s)"),
            Map.entry("delta_s_probe", "the worst ΔS of the probe set while serving"),
            Map.entry("lambda_state", "chaotic λ answers while serving"),
            Map.entry("index_hash", "INDEX_HASH equal across serving regions"),
            Map.entry("stick_announced", "the share of responses announcing the stick region while it holds"),
            Map.entry("max_5xx_burst", "the longest run of failing seconds (s)"),
            Map.entry("p95_ratio", "the worst observed p95 ÷ baseline p95 of a serving region"),
            Map.entry("write_loss", "writes acknowledged and never applied"),
            Map.entry("single_writer", "writes applied by a region that was not the one writer, or twice"),
            Map.entry("backlog_drain", "seconds for the backlog to drain to its pre-drill baseline"),
            Map.entry("auth_failures", "401/403 answers after the route flip"),
            Map.entry("cold_start_storm", "the largest share of cold requests after the route flip"),
            Map.entry("webhook_duplicates", "dedupe keys delivered more than once"),
            Map.entry("slo_budget", "the share of the SLO window's error budget the drill spent"),
            Map.entry("index_hash_parity", "distinct INDEX_HASH values across regions"),
            Map.entry("contracts_equal", "distinct RAG contracts across regions"),
            Map.entry("delta_s", "the worst ΔS(question, retrieved) of the probe set"),
            Map.entry("lambda_convergent", "the share of convergent λ answers"),
            Map.entry("coverage", "the lowest coverage of the probe set"),
            Map.entry("answers_equal", "the share of gold questions answered equally by every region"),
            Map.entry("backlog_zero", "the backlog at closeout (items)"),
            Map.entry("cache_rewarmed", "the lowest cache hit ratio after the drill"),
            Map.entry("operator_abort", "an operator's abort"),
            Map.entry("safety_invariant", "a command refused for breaking a safety invariant"),
            Map.entry("return_home", "a rejected return-to-home command"));

    private VerdictSentences() {
    }

    /** One sentence for verdict {@code v} (a decision-log verdict as JSON values). */
    static String sentence(Map<String, Object> v) {
        String status = String.valueOf(v.get("status"));
        Map<?, ?> evidence = v.get("evidence") instanceof Map<?, ?> m ? m : Map.of();
        Object reason = evidence.get("reason");
        String measure = MEASURES.getOrDefault(String.valueOf(v.get("check")), String.valueOf(v.get("check")));
        if ("not_applicable".equals(status)) {
            return "Not applicable — " + strip(reason, "not applicable: ") + ".";
        }
        if (reason instanceof String r && r.startsWith("no data: ")) {
            return "No data — nothing arrived to judge " + measure + ": missing " + r.substring("no data: ".length())
                    + ". A check that saw no signal fails.";
        }
        String outcome = "pass".equals(status) ? "within the target" : "beyond the target";
        String limit = v.get("limit") == null ? "" : " against the limit " + CanonicalJson.string(v.get("limit"));
        return cap(measure) + ": " + CanonicalJson.string(v.get("value")) + limit + " — " + outcome + ".";
    }

    /**
     * The evidence as rows {@code [name, value]}: a per-region map becomes one row per region (its fields in one
     * cell), other members one row each; the reason of a "no data" verdict is in the sentence already.
     */
    static List<String[]> rows(Map<String, Object> evidence) {
        List<String[]> rows = new ArrayList<>();
        new java.util.TreeMap<>(evidence).forEach((k, val) -> {
            if (k.equals("reason")) {
                return;
            }
            if (val instanceof Map<?, ?> m && !m.isEmpty() && m.values().stream().allMatch(x -> x instanceof Map<?, ?>)) {
                new java.util.TreeMap<Object, Object>(m).forEach((region, fields) -> rows.add(new String[]{k + " · " + region, compact(fields)}));
            } else {
                rows.add(new String[]{k, compact(val)});
            }
        });
        return rows;
    }

    private static String compact(Object v) {
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            new java.util.TreeMap<Object, Object>(m).forEach((k, x) -> parts.add(k + " " + (x instanceof String s ? s : CanonicalJson.string(x))));
            return String.join(" · ", parts);
        }
        return v instanceof String s ? s : CanonicalJson.string(v);
    }

    private static String strip(Object reason, String prefix) {
        String r = String.valueOf(reason);
        return r.startsWith(prefix) ? r.substring(prefix.length()) : r;
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

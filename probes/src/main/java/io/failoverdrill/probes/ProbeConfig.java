package io.failoverdrill.probes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code drill probe --config FILE} runs (JSON):
 * <pre>{@code
 * {"observer": "probe-a", "timeout_ms": 2000,
 *  "regions": [{"name": "us-east", "service_url": "http://host:8080/api", "status_url": "http://host:8080",
 *               "rps": 10, "tool": false, "retrieve_url": "http://host:8080/retrieve"}],
 *  "rag": {"gold_set": "bundled", "corpus": "bundled", "k": 10, "period_s": 30},
 *  "backlog": [{"region": "us-east", "group": "orders-consumer", "topic": "orders"}]}
 * }</pre>
 * {@code rps} requests per second per region (fixed schedule), {@code timeout_ms} per request; {@code status_url}
 * (health, index metadata, cache, backlog endpoints) and {@code retrieve_url} are optional; {@code rag} needs at
 * least one region with a {@code retrieve_url}; {@code gold_set}/{@code corpus} are file paths or {@code bundled}.
 * {@link #parse} reports every error at once, each naming its JSON path and the rule.
 */
public record ProbeConfig(String observer, long timeoutMs, List<Region> regions, Rag rag, List<Backlog> backlog) {
    private static final Pattern REGION = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One probed region. */
    public record Region(String name, URI serviceUrl, URI statusUrl, double rps, boolean tool, URI retrieveUrl,
                         boolean followRedirects) {
    }

    /** The RAG probe: gold set and corpus (paths or "bundled"), top-k asked, each question once per period. */
    public record Rag(String goldSet, String corpus, int k, int periodS) {
    }

    /** A Kafka consumer group whose lag is the region's backlog. */
    /** @param kafkaConfig a Kafka client properties file for the cluster holding the group (null: the probe's own) */
    public record Backlog(String region, String group, String topic, String kafkaConfig) {
    }

    static final java.util.Set<String> TOP = java.util.Set.of("observer", "timeout_ms", "regions", "rag", "backlog");
    static final java.util.Set<String> REGION_FIELDS = java.util.Set.of("name", "service_url", "status_url", "retrieve_url",
            "rps", "tool", "follow_redirects");
    static final java.util.Set<String> RAG_FIELDS = java.util.Set.of("gold_set", "corpus", "k", "period_s");
    static final java.util.Set<String> BACKLOG_FIELDS = java.util.Set.of("region", "group", "topic", "kafka_config");

    /** Every member of {@code n} must be one of {@code known}: a typo is an error naming the nearest known field. */
    private static void known(JsonNode n, String at, java.util.Set<String> known, List<String> errors) {
        if (n == null || !n.isObject()) {
            return;
        }
        n.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                errors.add(at + "." + f + ": is not a field of this object"
                        + io.failoverdrill.schemas.plan.NearestName.hint(f, known));
            }
        });
    }

    /** Thrown with every problem found, one per line. */
    public static final class Invalid extends IllegalArgumentException {
        private final List<String> errors;

        Invalid(List<String> errors) {
            super(String.join("; ", errors));
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }

    public static ProbeConfig parse(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new Invalid(List.of("$: not valid JSON (" + e.getMessage().split("\n")[0] + ")"));
        }
        List<String> errors = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new Invalid(List.of("$: must be a JSON object"));
        }
        known(root, "$", TOP, errors);
        String observer = text(root, "observer", "$", errors, true);
        long timeoutMs = root.has("timeout_ms") ? positiveLong(root.get("timeout_ms"), "$.timeout_ms", errors) : 2000;
        List<Region> regions = new ArrayList<>();
        JsonNode rs = root.get("regions");
        if (rs == null || !rs.isArray() || rs.isEmpty()) {
            errors.add("$.regions: must be a non-empty array");
        } else {
            for (int i = 0; i < rs.size(); i++) {
                String at = "$.regions[" + i + "]";
                JsonNode r = rs.get(i);
                known(r, at, REGION_FIELDS, errors);
                String name = text(r, "name", at, errors, true);
                if (name != null && !REGION.matcher(name).matches()) {
                    errors.add(at + ".name: must match ^[a-z0-9][a-z0-9-]{0,62}$");
                }
                URI service = url(r, "service_url", at, errors, true);
                URI status = url(r, "status_url", at, errors, false);
                URI retrieve = url(r, "retrieve_url", at, errors, false);
                double rps = 10;
                if (r.has("rps")) {
                    if (!r.get("rps").isNumber() || r.get("rps").asDouble() <= 0 || r.get("rps").asDouble() > 10_000) {
                        errors.add(at + ".rps: must be a number in (0, 10000]");
                    } else {
                        rps = r.get("rps").asDouble();
                    }
                }
                if (r.has("tool") && !r.get("tool").isBoolean()) {
                    errors.add(at + ".tool: must be true or false");
                }
                if (r.has("follow_redirects") && !r.get("follow_redirects").isBoolean()) {
                    errors.add(at + ".follow_redirects: must be true or false");
                }
                regions.add(new Region(name, service, status, rps, r.path("tool").asBoolean(false), retrieve,
                        r.path("follow_redirects").asBoolean(true)));
            }
        }
        Rag rag = null;
        JsonNode g = root.get("rag");
        if (g != null) {
            if (!g.isObject()) {
                errors.add("$.rag: must be an object");
            } else {
                known(g, "$.rag", RAG_FIELDS, errors);
                String gold = g.has("gold_set") ? text(g, "gold_set", "$.rag", errors, true) : "bundled";
                String corpus = g.has("corpus") ? text(g, "corpus", "$.rag", errors, true) : "bundled";
                int k = g.has("k") ? (int) positiveLong(g.get("k"), "$.rag.k", errors) : 10;
                int period = g.has("period_s") ? (int) positiveLong(g.get("period_s"), "$.rag.period_s", errors) : 30;
                rag = new Rag(gold, corpus, k, period);
                if (regions.stream().noneMatch(r -> r.retrieveUrl() != null)) {
                    errors.add("$.rag: needs at least one region with a retrieve_url");
                }
            }
        }
        List<Backlog> backlog = new ArrayList<>();
        JsonNode bs = root.get("backlog");
        if (bs != null) {
            if (!bs.isArray()) {
                errors.add("$.backlog: must be an array");
            } else {
                for (int i = 0; i < bs.size(); i++) {
                    String at = "$.backlog[" + i + "]";
                    known(bs.get(i), at, BACKLOG_FIELDS, errors);
                    backlog.add(new Backlog(text(bs.get(i), "region", at, errors, true), text(bs.get(i), "group", at, errors, true),
                            text(bs.get(i), "topic", at, errors, true), text(bs.get(i), "kafka_config", at, errors, false)));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        return new ProbeConfig(observer, timeoutMs, List.copyOf(regions), rag, List.copyOf(backlog));
    }

    private static String text(JsonNode n, String field, String at, List<String> errors, boolean required) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(at + "." + field + ": is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(at + "." + field + ": must be a non-empty string");
            return null;
        }
        return v.asText();
    }

    private static URI url(JsonNode n, String field, String at, List<String> errors, boolean required) {
        String s = text(n, field, at, errors, required);
        if (s == null) {
            return null;
        }
        try {
            URI u = URI.create(s);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                errors.add(at + "." + field + ": must be an http:// or https:// URL with a host");
                return null;
            }
            return u;
        } catch (IllegalArgumentException e) {
            errors.add(at + "." + field + ": not a URL (" + e.getMessage() + ")");
            return null;
        }
    }

    private static long positiveLong(JsonNode v, String at, List<String> errors) {
        if (!v.isIntegralNumber() || v.asLong() < 1) {
            errors.add(at + ": must be an integer ≥ 1");
            return 1;
        }
        return v.asLong();
    }
}

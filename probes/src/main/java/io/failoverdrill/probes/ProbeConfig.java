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
 * {@code rps} requests per second per region (fixed schedule), {@code timeout_ms} per request (a region may set its
 * own). What a request sends: {@code method} (default GET), {@code headers} (name → a string, {@code {"file": PATH}}
 * — an owner-only file, trimmed — or {@code {"env": NAME}}; values are never printed), {@code body} (a string) and
 * {@code expect_status} (the statuses that count as success; default any 1xx–3xx). Where the region's state is read:
 * {@code status_url} (this project's own {@code /health}, {@code /index/meta}, {@code /cache}, {@code /backlog}) or
 * {@code status}, any service's endpoints mapped by JSON pointers:
 * <pre>{@code
 * "status": {"health": {"url": "https://svc/actuator/health", "ready": "/status", "ready_equals": "UP"},
 *            "index_meta": {"url": "…", "index_hash": "/index/hash", "metric": "/index/metric",
 *                           "analyzer": "/index/analyzer", "build_ts": "/index/built"},
 *            "cache": {"url": "…", "hit_ratio": "/cache/hitRatio"},
 *            "backlog": {"url": "…", "length": "/queue/depth", "oldest_age_ms": "/queue/oldestMs"}}
 * }</pre>
 * Neither: no status is read. {@code proxy} ({@code http://host:port}, for all regions or one): an HTTP proxy every
 * request goes through, https ones by {@code CONNECT}. {@code retrieve_url} is optional; {@code rag} needs at least one region with a
 * {@code retrieve_url}; {@code gold_set}/{@code corpus} are file paths or {@code bundled}. {@link #parse} reports
 * every error at once, each naming its JSON path and the rule.
 */
public record ProbeConfig(String observer, long timeoutMs, List<Region> regions, Rag rag, List<Backlog> backlog) {
    private static final Pattern REGION = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One probed region: {@code status} null when no state is read, {@code timeoutMs} null for the config's own.
     */
    public record Region(String name, URI serviceUrl, StatusEndpoints status, double rps, boolean tool, URI retrieveUrl,
                         boolean followRedirects, ProbeRequest request, Long timeoutMs, URI proxy) {
    }

    /** The RAG probe: gold set and corpus (paths or "bundled"), top-k asked, each question once per period. */
    public record Rag(String goldSet, String corpus, int k, int periodS) {
    }

    /** A Kafka consumer group whose lag is the region's backlog. */
    /** @param kafkaConfig a Kafka client properties file for the cluster holding the group (null: the probe's own) */
    public record Backlog(String region, String group, String topic, String kafkaConfig) {
    }

    static final java.util.Set<String> TOP = java.util.Set.of("observer", "timeout_ms", "regions", "rag", "backlog", "proxy");
    static final java.util.Set<String> REGION_FIELDS = java.util.Set.of("name", "service_url", "status_url", "retrieve_url",
            "rps", "tool", "follow_redirects", "method", "headers", "body", "expect_status", "timeout_ms", "status", "proxy");
    private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");
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
        return parse(bytes, System.getenv());
    }

    /** {@link #parse(byte[])} with {@code env} for the headers taken from the environment. */
    public static ProbeConfig parse(byte[] bytes, java.util.Map<String, String> env) {
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
        URI proxy = proxy(root, "$", errors);
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
                URI statusUrl = url(r, "status_url", at, errors, false);
                StatusEndpoints status = statusUrl == null ? null : StatusEndpoints.ownService(statusUrl);
                if (r.has("status")) {
                    if (statusUrl != null) {
                        errors.add(at + ".status: give either status or status_url, not both");
                    }
                    status = status(r.get("status"), at + ".status", errors);
                }
                ProbeRequest request = request(r, at, env, errors);
                Long regionTimeout = r.has("timeout_ms") ? positiveLong(r.get("timeout_ms"), at + ".timeout_ms", errors) : null;
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
                        r.path("follow_redirects").asBoolean(true), request, regionTimeout,
                        r.has("proxy") ? proxy(r, at, errors) : proxy));
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

    /** An HTTP proxy ({@code http://host:port}); null when {@code n} names none. */
    private static URI proxy(JsonNode n, String at, List<String> errors) {
        URI u = url(n, "proxy", at, errors, false);
        if (u != null && (!"http".equals(u.getScheme()) || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/")))) {
            errors.add(at + ".proxy: must be an http://host:port URL (an HTTP proxy; https targets go through CONNECT)");
            return null;
        }
        return u;
    }

    /** What a region's requests send: method, headers (secrets resolved), body, expected statuses. */
    private static ProbeRequest request(JsonNode r, String at, java.util.Map<String, String> env, List<String> errors) {
        String method = "GET";
        if (r.has("method")) {
            String m = text(r, "method", at, errors, true);
            if (m != null && !ProbeRequest.METHODS.contains(m)) {
                errors.add(at + ".method: must be one of " + new java.util.TreeSet<>(ProbeRequest.METHODS));
            } else if (m != null) {
                method = m;
            }
        }
        java.util.Map<String, String> headers = new java.util.TreeMap<>();
        JsonNode hs = r.get("headers");
        if (hs != null && !hs.isObject()) {
            errors.add(at + ".headers: must be an object of header name → value");
        } else if (hs != null) {
            hs.fieldNames().forEachRemaining(h -> {
                String hat = at + ".headers." + h;
                if (!HEADER_NAME.matcher(h).matches()) {
                    errors.add(hat + ": not a valid HTTP header name");
                    return;
                }
                String value = headerValue(hs.get(h), hat, env, errors);
                if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
                    errors.add(hat + ": the value must be one line");
                } else if (value != null) {
                    headers.put(h, value);
                }
            });
        }
        String body = r.has("body") ? text(r, "body", at, errors, true) : null;
        if (body != null && method.equals("HEAD")) {
            errors.add(at + ".body: a HEAD request has no body");
        }
        java.util.Set<Integer> expect = new java.util.TreeSet<>();
        JsonNode es = r.get("expect_status");
        if (es != null) {
            if (!es.isArray() || es.isEmpty()) {
                errors.add(at + ".expect_status: must be a non-empty array of HTTP statuses");
            } else {
                for (int i = 0; i < es.size(); i++) {
                    JsonNode e = es.get(i);
                    if (!e.isIntegralNumber() || e.asInt() < 100 || e.asInt() > 599) {
                        errors.add(at + ".expect_status[" + i + "]: must be an integer in [100, 599]");
                    } else {
                        expect.add(e.asInt());
                    }
                }
            }
        }
        return new ProbeRequest(method, headers, body, expect);
    }

    /** A header value: a string, {"file": PATH} (owner-only, trimmed) or {"env": NAME}. Never echoed in an error. */
    private static String headerValue(JsonNode v, String at, java.util.Map<String, String> env, List<String> errors) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isObject() && v.size() == 1 && v.has("file") && v.get("file").isTextual()) {
            try {
                return new String(io.failoverdrill.schemas.sign.SecretFiles.readOwnerOnly(
                        java.nio.file.Path.of(v.get("file").textValue()), "header file"), java.nio.charset.StandardCharsets.UTF_8).strip();
            } catch (IllegalArgumentException e) {
                errors.add(at + ".file: " + e.getMessage());
                return null;
            }
        }
        if (v.isObject() && v.size() == 1 && v.has("env") && v.get("env").isTextual()) {
            String value = env.get(v.get("env").textValue());
            if (value == null) {
                errors.add(at + ".env: the environment variable " + v.get("env").textValue() + " is not set");
            }
            return value;
        }
        errors.add(at + ": must be a string, {\"file\": PATH} or {\"env\": NAME}");
        return null;
    }

    /** A {@code status} object: per kind, a URL and a JSON pointer per member. */
    private static StatusEndpoints status(JsonNode s, String at, List<String> errors) {
        if (!s.isObject() || s.isEmpty()) {
            errors.add(at + ": must be an object with health, index_meta, cache and/or backlog");
            return null;
        }
        known(s, at, StatusEndpoints.MEMBERS.keySet(), errors);
        return new StatusEndpoints(endpoint(s, "health", at, errors), endpoint(s, "index_meta", at, errors),
                endpoint(s, "cache", at, errors), endpoint(s, "backlog", at, errors));
    }

    private static StatusEndpoints.Endpoint endpoint(JsonNode s, String kind, String at, List<String> errors) {
        JsonNode e = s.get(kind);
        if (e == null) {
            return null;
        }
        String eat = at + "." + kind;
        if (!e.isObject()) {
            errors.add(eat + ": must be an object with a url and a JSON pointer per member");
            return null;
        }
        List<String> members = StatusEndpoints.MEMBERS.get(kind);
        java.util.Set<String> allowed = new java.util.HashSet<>(members);
        allowed.add("url");
        if (kind.equals("health")) {
            allowed.add("ready_equals");
        }
        known(e, eat, allowed, errors);
        URI url = url(e, "url", eat, errors, true);
        java.util.Map<String, String> pointers = new java.util.HashMap<>();
        for (String member : members) {
            String pointer = text(e, member, eat, errors, !StatusEndpoints.OPTIONAL.contains(member));
            if (pointer == null) {
                continue;
            }
            try {
                com.fasterxml.jackson.core.JsonPointer.compile(pointer);
                pointers.put(member, pointer);
            } catch (IllegalArgumentException ex) {
                errors.add(eat + "." + member + ": not a JSON pointer (RFC 6901, e.g. /status or /queue/depth)");
            }
        }
        String readyEquals = kind.equals("health") && e.has("ready_equals") ? text(e, "ready_equals", eat, errors, true) : null;
        return new StatusEndpoints.Endpoint(url, pointers, readyEquals);
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

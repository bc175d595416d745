package io.failoverdrill.probes;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * What a probe sends to a service and what it counts as success: the method, the headers (values may be secrets
 * read from files or the environment: {@link #toString} names the headers, never their values), a body (null: none)
 * and the expected statuses (empty: any 1xx–3xx succeeds, as {@link ErrorClassifier} says).
 */
public record ProbeRequest(String method, Map<String, String> headers, String body, Set<Integer> expectStatus) {
    /** A plain GET that succeeds on any 1xx–3xx. */
    public static final ProbeRequest GET = new ProbeRequest("GET", Map.of(), null, Set.of());
    /** The methods a probe may send. */
    public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    public ProbeRequest {
        headers = Map.copyOf(headers);
        expectStatus = Set.copyOf(expectStatus);
    }

    /**
     * The error class of an answer: a transport failure's class; else, with expected statuses, null for one of them
     * and the status's class for any other (an unexpected 1xx–3xx counts as {@code http_4xx}: the service did not
     * answer as configured); else {@link ErrorClassifier}'s. {@code tool}: every failure is {@code tool_call}.
     */
    public String errorClass(int status, String failure, boolean tool) {
        if (failure != null || expectStatus.isEmpty()) {
            return ErrorClassifier.of(status, failure, tool);
        }
        if (expectStatus.contains(status)) {
            return null;
        }
        return tool ? "tool_call" : ErrorClassifier.ofUnexpected(status);
    }

    @Override
    public String toString() {
        return method + (headers.isEmpty() ? "" : " with headers " + new java.util.TreeSet<>(headers.keySet()) + " (values hidden)")
                + (body == null ? "" : ", a " + bodyBytes().length + "-byte body")
                + (expectStatus.isEmpty() ? "" : ", expecting " + new java.util.TreeSet<>(expectStatus));
    }

    /** The body as UTF-8 bytes, or null. */
    byte[] bodyBytes() {
        return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    }
}

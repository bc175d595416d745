package io.failoverdrill.probes;


/**
 * Maps a request's outcome to the contract's error classes as an operator reads them: {@code connect}, {@code tls},
 * {@code timeout}, {@code body_read} (transport), {@code http_5xx}, {@code auth} (401/403), {@code throttled} (429),
 * {@code http_4xx} (any other 4xx), {@code tool_call} (any failure of a tool endpoint), or null for success. A 3xx
 * that reaches the classifier (redirects not followed) is a success: the target answered as configured.
 */
public final class ErrorClassifier {
    private ErrorClassifier() {
    }

    /** {@code failure}: the transport failure class from {@link PhasedHttp}, or null when a response arrived. */
    static String of(int status, String failure, boolean tool) {
        String cls = failure != null ? failure : ofStatus(status);
        return cls != null && tool ? "tool_call" : cls;
    }

    /**
     * The class of a status the probe did not expect: its own class, or {@code http_4xx} for a 1xx–3xx (the service
     * did not answer as configured).
     */
    static String ofUnexpected(int status) {
        String cls = ofStatus(status);
        return cls != null ? cls : "http_4xx";
    }

    /** The class of an HTTP status: null below 400. */
    public static String ofStatus(int status) {
        if (status >= 500) {
            return "http_5xx";
        }
        if (status == 401 || status == 403) {
            return "auth";
        }
        if (status == 429) {
            return "throttled";
        }
        return status >= 400 ? "http_4xx" : null;
    }
}

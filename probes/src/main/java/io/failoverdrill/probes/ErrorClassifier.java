package io.failoverdrill.probes;


/**
 * Maps a request's outcome to the contract's error classes: {@code connect}, {@code tls}, {@code timeout},
 * {@code body_read}, {@code http_5xx}, {@code auth} (401/403), {@code tool_call} (any failure of a tool endpoint),
 * or null for success.
 */
final class ErrorClassifier {
    private ErrorClassifier() {
    }

    /** {@code failure}: the transport failure class from {@link PhasedHttp}, or null when a response arrived. */
    static String of(int status, String failure, boolean tool) {
        String cls = failure != null ? failure : status >= 500 ? "http_5xx" : status == 401 || status == 403 ? "auth" : null;
        return cls != null && tool ? "tool_call" : cls;
    }
}

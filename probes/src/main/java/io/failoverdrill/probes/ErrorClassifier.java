package io.failoverdrill.probes;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Maps a request's outcome to the contract's error classes: {@code connect}, {@code tls}, {@code timeout},
 * {@code body_read}, {@code http_5xx}, {@code auth} (401/403), {@code tool_call} (any failure of a tool endpoint),
 * or null for success.
 */
final class ErrorClassifier {
    private ErrorClassifier() {
    }

    static String of(int status, Throwable error, boolean tool) {
        String cls = classify(status, error);
        return cls != null && tool ? "tool_call" : cls;
    }

    private static String classify(int status, Throwable error) {
        Throwable e = unwrap(error);
        if (e != null) {
            if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException
                    || e instanceof UnresolvedAddressException) {
                return "connect";
            }
            if (e instanceof HttpTimeoutException) {
                return "timeout";
            }
            if (e instanceof SSLException) {
                return "tls";
            }
            if (e instanceof IOException) {
                return status == 0 ? "connect" : "body_read";
            }
            return "connect";
        }
        if (status >= 500) {
            return "http_5xx";
        }
        if (status == 401 || status == 403) {
            return "auth";
        }
        return null;
    }

    private static Throwable unwrap(Throwable t) {
        while (t != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

package io.failoverdrill.actuators;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hands each verified command to the user's own automation (a Route 53 weighted record, a Kubernetes Gateway
 * {@code HTTPRoute}, a feature flag): POSTs the command's canonical JSON — the very bytes the engine signed — with
 * {@code Idempotency-Key: <command_id>}, {@code X-Drill-Command: <type>} and, with an HMAC key,
 * {@code X-Drill-Signature: sha256=<hex HMAC-SHA256 of the body>}, plus the user's headers. 2xx → applied (status
 * and response body as the ack's detail); 4xx → rejected {@code http_4xx} with the body; 5xx, timeouts and refused
 * connections are retried with doubling backoff, then rejected {@code http_5xx} / {@code unreachable}.
 */
public final class HttpActuator implements CommandHandler {
    /** What an ack keeps of a response body. */
    static final int BODY_KEPT = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param headers      sent with every request (values may be secrets: never logged)
     * @param hmacKey      null: no {@code X-Drill-Signature}
     * @param timeout      per attempt
     * @param attempts     at least 1
     * @param firstBackoff the wait after the first failed attempt, doubled after each
     */
    public record Settings(URI url, Map<String, String> headers, byte[] hmacKey, Duration timeout, int attempts,
                           Duration firstBackoff) {
        public Settings {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
            }
            headers = Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return "Settings[url=" + url + ", headers=" + headers.keySet() + ", hmac=" + (hmacKey != null) + "]";
        }
    }

    private final Settings settings;
    private final HttpClient http;

    public HttpActuator(Settings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    @Override
    public Object apply(Command command) {
        byte[] body = Codec.encode(command);
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", command.commandId())
                .header("X-Drill-Command", command.type())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.hmacKey() != null) {
            b.header("X-Drill-Signature", "sha256=" + hmac(settings.hmacKey(), body));
        }
        settings.headers().forEach(b::header);
        HttpRequest request = b.build();
        Duration backoff = settings.firstBackoff();
        String lastReason = null;
        Object lastDetail = null;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                Map<String, Object> detail = detail(status, response.body(), attempt);
                if (status >= 200 && status < 300) {
                    return detail;
                }
                if (status >= 400 && status < 500) {
                    throw new ActuatorException("http_4xx", detail);
                }
                lastReason = status >= 500 ? "http_5xx" : "http_" + status;
                lastDetail = detail;
            } catch (IOException e) {
                lastReason = e instanceof java.net.http.HttpTimeoutException ? "timeout" : "unreachable";
                lastDetail = Map.of("error", e.getClass().getSimpleName(), "attempts", attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ActuatorException("interrupted", "the actuator is stopping");
            }
            if (attempt < settings.attempts()) {
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ActuatorException("interrupted", "the actuator is stopping");
                }
                backoff = backoff.multipliedBy(2);
            }
        }
        throw new ActuatorException(lastReason, lastDetail);
    }

    private static Map<String, Object> detail(int status, byte[] body, int attempts) {
        Map<String, Object> m = new TreeMap<>();
        m.put("status", status);
        m.put("attempts", attempts);
        m.put("body", bodyOf(body));
        return m;
    }

    /** The response body as JSON when it is JSON, else as text; at most {@link #BODY_KEPT} bytes of it. */
    static Object bodyOf(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        if (body.length <= BODY_KEPT) {
            try {
                return JSON.readValue(body, Object.class);
            } catch (IOException notJson) {
                // as text below
            }
        }
        String text = new String(body, 0, Math.min(body.length, BODY_KEPT), StandardCharsets.UTF_8);
        return body.length > BODY_KEPT ? text + "…" : text;
    }

    /** Hex HMAC-SHA256 of {@code body} with {@code key}, as {@code X-Drill-Signature} carries it. */
    public static String hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

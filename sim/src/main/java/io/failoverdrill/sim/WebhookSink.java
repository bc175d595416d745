package io.failoverdrill.sim;

import io.failoverdrill.probes.AppTelemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The third party that receives the webhooks: a real HTTP endpoint on loopback ({@code POST /hooks} with headers
 * {@code X-Dedupe-Key} and {@code X-Emitted-From}). Every delivery it receives is reported as a {@code webhook}
 * telemetry event — what the drill judges duplicates on is what actually arrived.
 */
public final class WebhookSink implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers;
    private final AppTelemetry events;
    private final AtomicLong received = new AtomicLong();

    public WebhookSink(AppTelemetry events) {
        this.events = events;
        this.workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sim-webhook-sink");
            t.setDaemon(true);
            return t;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port for the webhook sink", e);
        }
        server.setExecutor(workers);
        server.createContext("/hooks", this::receive);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
    }

    /** Deliveries received so far. */
    public long received() {
        return received.get();
    }

    private void receive(HttpExchange ex) throws IOException {
        String key = ex.getRequestHeaders().getFirst("X-Dedupe-Key");
        String from = ex.getRequestHeaders().getFirst("X-Emitted-From");
        byte[] body = ex.getRequestBody().readAllBytes();
        if (!"POST".equals(ex.getRequestMethod()) || key == null || from == null) {
            ex.sendResponseHeaders(400, -1);
            ex.close();
            return;
        }
        received.incrementAndGet();
        events.webhook(from, key, keyFields(body));
        ex.sendResponseHeaders(204, -1);
        ex.close();
    }

    /** The delivered event's top-level strings and numbers (what a dedupe key expression may name), or null. */
    static java.util.Map<String, Object> keyFields(byte[] body) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            if (n == null || !n.isObject()) {
                return null;
            }
            java.util.Map<String, Object> m = new java.util.TreeMap<>();
            n.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    m.put(e.getKey(), e.getValue().textValue());
                } else if (e.getValue().isIntegralNumber()) {
                    m.put(e.getKey(), e.getValue().longValue());
                }
            });
            return m;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}

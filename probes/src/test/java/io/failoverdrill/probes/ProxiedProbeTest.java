package io.failoverdrill.probes;

import com.sun.net.httpserver.HttpServer;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A probe whose config names an HTTP proxy reaches the service through Debian's tinyproxy, a real proxy in its own
 * process: the service sees the proxy's {@code Via} header, the probe's events are those of a healthy service; with
 * the proxy gone the requests fail as {@code connect}.
 */
class ProxiedProbeTest {
    @TempDir
    Path dir;

    @Test
    void requestsAndStatusReadsGoThroughTheConfiguredProxy() throws Exception {
        List<String> via = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            via.add(String.valueOf(ex.getRequestHeaders().getFirst("Via")));
            byte[] b = (ex.getRequestURI().getPath().equals("/health") ? "{\"ready\":true}" : "{}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try (Tinyproxy proxy = new Tinyproxy(dir)) {
            ProbeConfig c = ProbeConfig.parse(("{\"observer\":\"probe-p\",\"proxy\":\"" + proxy.uri() + "\",\"regions\":[{\"name\":\"us-east\","
                    + "\"service_url\":\"" + base + "/api\",\"rps\":10,\"status\":{\"health\":{\"url\":\"" + base + "/health\",\"ready\":\"/ready\"}}}]}")
                    .getBytes(StandardCharsets.UTF_8), Map.of());
            ProbeConfig.Region r = c.regions().get(0);
            assertThat(r.proxy()).isEqualTo(proxy.uri());
            List<TelemetryEvent> events = run(r, c);
            assertThat(requests(events)).isNotEmpty().allSatisfy(q -> {
                assertThat(q.status()).isEqualTo(200);
                assertThat(q.error()).isNull();
            });
            assertThat(events.stream().map(TelemetryEvent::payload).filter(Telemetry.Health.class::isInstance))
                    .isNotEmpty().allSatisfy(h -> assertThat(((Telemetry.Health) h).ready()).isTrue());
            assertThat(via).isNotEmpty().allSatisfy(v -> assertThat(v).contains("tinyproxy"));

            proxy.close();
            ProbeConfig.Region gone = new ProbeConfig.Region(r.name(), r.serviceUrl(), null, r.rps(), false, null, true,
                    r.request(), null, URI.create("http://127.0.0.1:" + freePort()));
            assertThat(requests(run(gone, c))).isNotEmpty().allSatisfy(q -> assertThat(q.error()).isEqualTo("connect"));
        } finally {
            server.stop(0);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<Telemetry.Request> requests(List<TelemetryEvent> events) {
        return events.stream().map(TelemetryEvent::payload).filter(Telemetry.Request.class::isInstance)
                .map(Telemetry.Request.class::cast).filter(q -> q.target().equals("/api")).toList();
    }

    private static List<TelemetryEvent> run(ProbeConfig.Region r, ProbeConfig c) {
        List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
        try (RegionProbe p = new RegionProbe(new ProbeTarget(r.name(), r.serviceUrl(), r.serviceUrl().resolve("/"), false, true, r.proxy()),
                r.request(), r.status(), c.observer(), r.rps(), Duration.ofMillis(c.timeoutMs()), events::add, null)) {
            p.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> requests(events).size() >= 5);
        }
        return events;
    }
}

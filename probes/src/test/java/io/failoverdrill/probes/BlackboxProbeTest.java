package io.failoverdrill.probes;

import com.sun.net.httpserver.HttpServer;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The blackbox-exporter bridge against a real {@code prometheus-blackbox-exporter} (Debian's package) probing a real
 * HTTP service: what the exporter measured becomes contract {@code request} events — a healthy answer with its
 * phases, a 503 as {@code http_5xx}, a closed port as {@code connect}, a too-slow answer as {@code timeout}.
 */
class BlackboxProbeTest {
    @TempDir
    static Path dir;
    static Process exporter;
    static URI exporterUri;
    static HttpServer service;

    @BeforeAll
    static void startTheExporterAndAService() throws Exception {
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/ok", e -> answer(e, 200, "ok"));
        service.createContext("/fail", e -> answer(e, 503, "down"));
        service.createContext("/slow", e -> {
            try {
                Thread.sleep(2500); // the module's timeout is 1 s
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            answer(e, 200, "late");
        });
        service.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        service.start();
        Files.writeString(dir.resolve("blackbox.yml"), String.join("\n", "modules:", "  http_2xx:", "    prober: http",
                "    timeout: 1s", "    http:", "      preferred_ip_protocol: ip4", ""));
        int port = freePort();
        String binary = io.failoverdrill.kafka.testkit.RealPrograms.find("prometheus-blackbox-exporter",
                "/usr/bin/prometheus-blackbox-exporter", "/usr/local/bin/blackbox_exporter").toString();
        exporter = new ProcessBuilder(binary, "--config.file=" + dir.resolve("blackbox.yml"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("exporter.log").toFile()).start();
        exporterUri = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(exporterUri.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (exporter != null) {
            exporter.destroy();
            exporter.waitFor();
        }
        if (service != null) {
            service.stop(0);
        }
    }

    @Test
    void whatTheExporterMeasuredBecomesRequestEventsWithTheirErrorClasses() throws Exception {
        String base = "http://127.0.0.1:" + service.getAddress().getPort();
        int closed = freePort();
        List<TelemetryEvent> published = new CopyOnWriteArrayList<>();
        List<String> said = new ArrayList<>();
        Telemetry.Request ok = probe(base + "/ok", published, said);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.error()).isNull();
        assertThat(ok.latencyMs()).isPositive();
        assertThat(ok.phases().connectMs()).isNotNull();
        assertThat(ok.phases().ttfbMs()).isNotNull();
        assertThat(ok.target()).isEqualTo(base + "/ok");

        Telemetry.Request fail = probe(base + "/fail", published, said);
        assertThat(fail.status()).isEqualTo(503);
        assertThat(fail.error()).isEqualTo("http_5xx");

        Telemetry.Request refused = probe("http://127.0.0.1:" + closed + "/", published, said);
        assertThat(refused.status()).isZero();
        assertThat(refused.error()).isEqualTo("connect");

        Telemetry.Request slow = probe(base + "/slow", published, said);
        assertThat(slow.error()).isEqualTo("timeout");

        assertThat(published).hasSize(4).allSatisfy(e -> {
            assertThat(e.region()).isEqualTo("us-east");
            assertThat(e.observer()).isEqualTo("bb-1");
            // every event is a valid contract record
            assertThat(Codec.encodeToString(Codec.decodeInput(Codec.encode(e)))).isEqualTo(Codec.encodeToString(e));
        });
        assertThat(said).isEmpty();
    }

    @Test
    void anExporterThatDoesNotAnswerPublishesNothingAndSaysSoOnce() throws Exception {
        List<TelemetryEvent> published = new CopyOnWriteArrayList<>();
        List<String> said = new CopyOnWriteArrayList<>();
        try (BlackboxProbe p = new BlackboxProbe(URI.create("http://127.0.0.1:" + freePort()), "http_2xx", "eu-west",
                "http://127.0.0.1:1/", "bb-1", Duration.ofSeconds(2), published::add, said::add)) {
            assertThat(p.probeOnce()).isNull();
            assertThat(p.probeOnce()).isNull();
        }
        assertThat(published).isEmpty();
        assertThat(said).singleElement().asString().contains("not answering");
    }

    static Telemetry.Request probe(String target, List<TelemetryEvent> published, List<String> said) {
        try (BlackboxProbe p = new BlackboxProbe(exporterUri, "http_2xx", "us-east", target, "bb-1", Duration.ofSeconds(10),
                published::add, said::add)) {
            TelemetryEvent e = p.probeOnce();
            assertThat(e).as(target).isNotNull();
            return (Telemetry.Request) e.payload();
        }
    }

    static void answer(com.sun.net.httpserver.HttpExchange e, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        e.sendResponseHeaders(status, b.length);
        e.getResponseBody().write(b);
        e.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

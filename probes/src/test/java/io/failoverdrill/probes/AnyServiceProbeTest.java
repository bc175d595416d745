package io.failoverdrill.probes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A probe of a service that is not this project's: a real HTTP server with its own API (a POST with a bearer token and
 * a JSON body, answering 201) and its own status formats (a Spring-style health, nested index and queue documents, a
 * cache endpoint that fails). The probe config maps them by JSON pointers; the token comes from an owner-only file.
 */
class AnyServiceProbeTest {
    private static final String TOKEN = "s3cr3t-token-value";
    private static HttpServer server;
    private static final List<String> searches = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/search", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!authorized(ex)) {
                answer(ex, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            searches.add(ex.getRequestMethod() + " " + body);
            answer(ex, 201, "{\"hits\":[]}");
        });
        server.createContext("/actuator/health", ex -> answer(ex, authorized(ex) ? 200 : 401,
                "{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"UP\"}}}"));
        server.createContext("/meta", ex -> answer(ex, 200,
                "{\"index\":{\"hash\":\"idx-42\",\"metric\":\"cosine\",\"analyzer\":\"standard\",\"built\":\"2026-12-01T10:00:00Z\"}}"));
        server.createContext("/cache-stats", ex -> answer(ex, 500, "{\"error\":\"cache down\"}"));
        server.createContext("/queue", ex -> answer(ex, 200, "{\"queue\":{\"name\":\"orders\",\"depth\":7,\"oldestMs\":1500.5}}"));
        server.start();
    }

    @AfterAll
    static void stopService() {
        server.stop(0);
    }

    private static boolean authorized(HttpExchange ex) {
        return ("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"));
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private String config(String authorization) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return """
                {"observer": "probe-x", "timeout_ms": 1500,
                 "regions": [{"name": "us-east", "service_url": "%s/v1/search", "rps": 10,
                   "method": "POST", "body": "{\\"q\\":\\"ping\\"}", "expect_status": [201],
                   "headers": {"Authorization": %s, "Content-Type": "application/json"},
                   "status": {
                     "health": {"url": "%s/actuator/health", "ready": "/status", "ready_equals": "UP"},
                     "index_meta": {"url": "%s/meta", "index_hash": "/index/hash", "metric": "/index/metric",
                                    "analyzer": "/index/analyzer", "build_ts": "/index/built"},
                     "cache": {"url": "%s/cache-stats", "hit_ratio": "/hitRatio"},
                     "backlog": {"url": "%s/queue", "length": "/queue/depth", "oldest_age_ms": "/queue/oldestMs",
                                 "queue": "/queue/name"}}}]}
                """.formatted(base, authorization, base, base, base, base);
    }

    private Path secretFile(String content, String mode) throws IOException {
        Path f = dir.resolve("token-" + mode);
        Files.writeString(f, content + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    /** The events one probe publishes in about two seconds of its config. */
    private static List<TelemetryEvent> probe(ProbeConfig c) {
        ProbeConfig.Region r = c.regions().get(0);
        List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
        try (RegionProbe p = new RegionProbe(new ProbeTarget(r.name(), r.serviceUrl(), r.serviceUrl().resolve("/"), r.tool()),
                r.request(), r.status(), c.observer(), r.rps(), Duration.ofMillis(c.timeoutMs()), events::add, null)) {
            p.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().filter(e -> e.payload() instanceof Telemetry.Request q
                    && "status:cache".equals(q.target())).count() >= 2 && events.stream().filter(e -> e.payload() instanceof Telemetry.Request q
                    && !q.target().startsWith("status:")).count() >= 10);
        }
        return events;
    }

    private static <T extends Telemetry> List<T> payloads(List<TelemetryEvent> events, Class<T> type) {
        return events.stream().map(TelemetryEvent::payload).filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aServiceWithItsOwnApiAndStatusFormatsIsProbedThroughItsConfig() throws Exception {
        Path token = secretFile("Bearer " + TOKEN, "rw-------");
        ProbeConfig c = ProbeConfig.parse(config("{\"file\": \"" + token + "\"}").getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(c.regions().get(0).request().toString()).doesNotContain(TOKEN).contains("Authorization", "values hidden");
        assertThat(c.toString()).doesNotContain(TOKEN);

        List<TelemetryEvent> events = probe(c);

        List<Telemetry.Request> service = payloads(events, Telemetry.Request.class).stream()
                .filter(q -> q.target().equals("/v1/search")).toList();
        assertThat(service).isNotEmpty().allSatisfy(q -> {
            assertThat(q.status()).isEqualTo(201);
            assertThat(q.error()).isNull();
        });
        assertThat(searches).isNotEmpty().allSatisfy(s -> assertThat(s).isEqualTo("POST {\"q\":\"ping\"}"));
        assertThat(payloads(events, Telemetry.Health.class)).isNotEmpty().allSatisfy(h -> assertThat(h.ready()).isTrue());
        assertThat(payloads(events, Telemetry.IndexMeta.class)).isNotEmpty().allSatisfy(m -> {
            assertThat(m.indexHash()).isEqualTo("idx-42");
            assertThat(m.metric()).isEqualTo("cosine");
            assertThat(m.buildTsMs()).isEqualTo(1_796_119_200_000L);
        });
        assertThat(payloads(events, Telemetry.Backlog.class)).isNotEmpty().allSatisfy(b -> {
            assertThat(b.queue()).isEqualTo("orders");
            assertThat(b.length()).isEqualTo(7);
            assertThat(b.oldestAgeMs()).isEqualTo(1500.5);
        });
        // the failing cache endpoint is seen as failing, not as missing data
        assertThat(payloads(events, Telemetry.Cache.class)).isEmpty();
        assertThat(payloads(events, Telemetry.Request.class).stream().filter(q -> q.target().equals("status:cache")))
                .isNotEmpty().allSatisfy(q -> {
                    assertThat(q.status()).isEqualTo(500);
                    assertThat(q.error()).isEqualTo("http_5xx");
                });
    }

    @Test
    void aWrongTokenIsSeenAsAuthFailuresOfTheServiceAndItsHealth() {
        ProbeConfig c = ProbeConfig.parse(config("{\"env\": \"SVC_AUTH\"}").getBytes(StandardCharsets.UTF_8),
                Map.of("SVC_AUTH", "Bearer wrong"));
        List<TelemetryEvent> events = probe(c);
        assertThat(payloads(events, Telemetry.Request.class).stream().filter(q -> q.target().equals("/v1/search")))
                .isNotEmpty().allSatisfy(q -> assertThat(q.error()).isEqualTo("auth"));
        assertThat(payloads(events, Telemetry.Health.class)).isNotEmpty().allSatisfy(h -> assertThat(h.ready()).isFalse());
        assertThat(payloads(events, Telemetry.Request.class).stream().filter(q -> q.target().equals("status:health")))
                .isNotEmpty().allSatisfy(q -> assertThat(q.error()).isEqualTo("auth"));
    }

    @Test
    void configErrorsNameTheirPathAndNeverTheSecret() throws Exception {
        Path readable = secretFile("Bearer " + TOKEN, "rw-r--r--");
        String broken = config("{\"file\": \"" + readable + "\"}")
                .replace("\"/status\"", "\"status\"")
                .replace("\"expect_status\": [201]", "\"expect_status\": [201, 42]")
                .replace("\"hit_ratio\": \"/hitRatio\"", "\"hit_ration\": \"/hitRatio\"")
                .replace("\"Content-Type\": \"application/json\"", "\"X-Key\": {\"env\": \"NOT_SET\"}");
        ProbeConfig.Invalid e = catchThrowableOfType(ProbeConfig.Invalid.class,
                () -> ProbeConfig.parse(broken.getBytes(StandardCharsets.UTF_8), Map.of()));
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("$.regions[0].headers.Authorization.file: ")
                        .contains("owner only", "chmod 600"))
                .anySatisfy(m -> assertThat(m).isEqualTo("$.regions[0].headers.X-Key.env: the environment variable NOT_SET is not set"))
                .anySatisfy(m -> assertThat(m).startsWith("$.regions[0].status.health.ready: not a JSON pointer"))
                .anySatisfy(m -> assertThat(m).isEqualTo("$.regions[0].expect_status[1]: must be an integer in [100, 599]"))
                .anySatisfy(m -> assertThat(m).startsWith("$.regions[0].status.cache.hit_ration: is not a field").contains("`hit_ratio`"))
                .anySatisfy(m -> assertThat(m).isEqualTo("$.regions[0].status.cache.hit_ratio: is required"));
        assertThat(String.join("\n", e.errors())).doesNotContain(TOKEN);
    }
}

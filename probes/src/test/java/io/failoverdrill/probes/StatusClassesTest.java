package io.failoverdrill.probes;

import com.sun.net.httpserver.HttpServer;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Status codes as operators read them, measured by the real probe against a real HTTP server on loopback. */
class StatusClassesTest {
    static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/stick/")) { // a service announcing where the session is stuck
                ex.getResponseHeaders().add(RegionProbe.STICK_HEADER, path.substring("/stick/".length()));
                path = "/status/200";
            }
            int status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            if (status >= 300 && status < 400) {
                ex.getResponseHeaders().add("Location", "/status/200");
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** A timed request of the service (this server has no status endpoints: their failed reads are left out). */
    static boolean serviceRequest(TelemetryEvent e) {
        return e.payload() instanceof Telemetry.Request r && !r.target().startsWith("status:");
    }

    static Telemetry.Request probeOnce(String path, boolean follow) {
        List<TelemetryEvent> seen = new CopyOnWriteArrayList<>();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        ProbeTarget target = new ProbeTarget("us-east", base.resolve(path), base, false, follow);
        try (RegionProbe probe = new RegionProbe(target, "probe-a", 20, Duration.ofSeconds(2), seen::add)) {
            probe.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().anyMatch(StatusClassesTest::serviceRequest));
        }
        return seen.stream().filter(StatusClassesTest::serviceRequest).map(e -> (Telemetry.Request) e.payload())
                .findFirst().orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({"/status/200,200,", "/status/404,404,http_4xx", "/status/400,400,http_4xx", "/status/429,429,throttled",
            "/status/401,401,auth", "/status/403,403,auth", "/status/503,503,http_5xx"})
    void eachStatusGetsItsClass(String path, int status, String error) {
        Telemetry.Request r = probeOnce(path, true);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.error()).isEqualTo(error);
    }

    @ParameterizedTest
    @CsvSource({"/stick/eu-west,eu-west", "/stick/EU_West,", "/status/200,"})
    void theStickRegionAResponseAnnouncesIsReportedWhenItIsARegionId(String path, String announced) {
        Telemetry.Request r = probeOnce(path, true);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.stickRegion()).as("a malformed announcement is left out, the sample kept").isEqualTo(announced);
    }

    @ParameterizedTest
    @CsvSource({"true,200", "false,302"})
    void aRedirectIsFollowedOrCountedAsConfigured(boolean follow, int status) {
        Telemetry.Request r = probeOnce("/status/302", follow);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.error()).isNull();
    }
}

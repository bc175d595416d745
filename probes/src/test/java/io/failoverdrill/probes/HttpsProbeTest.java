package io.failoverdrill.probes;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP probe against a real HTTPS server whose self-signed certificate this test makes with the JDK's
 * keytool: every phase is measured (connect, TLS handshake, time to first byte, body), and a probe that does
 * not trust the certificate reports {@code tls} errors.
 */
class HttpsProbeTest {
    static final String PASSWORD = "changeit";
    @TempDir
    static Path dir;
    static HttpsServer server;
    static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "sim", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/api", ex -> {
            sleep(40); // think time before the first byte
            ex.sendResponseHeaders(200, 0); // chunked
            try (OutputStream body = ex.getResponseBody()) {
                body.write("{\"part\":1".getBytes());
                body.flush();
                sleep(30); // a slow body
                body.write(",\"part2\":2}".getBytes());
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** The service's timed requests (this server has no status endpoints: their failed reads are left out). */
    static List<Telemetry.Request> requests(List<TelemetryEvent> events) {
        return events.stream().filter(StatusClassesTest::serviceRequest).map(e -> (Telemetry.Request) e.payload()).toList();
    }

    static List<Telemetry.Request> probe(SSLContext tls, int n) {
        return probe(tls, n, null);
    }

    static List<Telemetry.Request> probe(SSLContext tls, int n, URI proxy) {
        List<TelemetryEvent> seen = new CopyOnWriteArrayList<>();
        URI api = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/api");
        try (RegionProbe probe = new RegionProbe(new ProbeTarget("eu-west", api, api.resolve("/"), false, true, proxy), "probe-tls",
                10, Duration.ofSeconds(2), seen::add, tls)) {
            probe.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> requests(seen).size() >= n);
        }
        return requests(seen).subList(0, n);
    }

    @Test
    void everyPhaseIsMeasuredOverHttps() {
        List<Telemetry.Request> rs = probe(trusting, 20);
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.error()).isNull();
            assertThat(r.status()).isEqualTo(200);
            Telemetry.Phases p = r.phases();
            assertThat(p.connectMs()).isNotNull().isGreaterThanOrEqualTo(0.0);
            assertThat(p.tlsMs()).as("a real TLS handshake").isNotNull().isGreaterThan(0.0);
            assertThat(p.ttfbMs()).isGreaterThanOrEqualTo(40.0);
            assertThat(p.bodyMs()).isNotNull().isPositive();
            assertThat(r.latencyMs()).isGreaterThanOrEqualTo(p.connectMs() + p.tlsMs() + p.ttfbMs());
        });
        // the server pauses 30 ms inside the body; a cold first exchange may deliver the head late and shorten it
        assertThat(rs.stream().filter(r -> r.phases().bodyMs() >= 15.0).count()).as("the 30 ms pause inside the body")
                .isGreaterThanOrEqualTo(rs.size() - 2L);
    }

    @Test
    void throughAProxyHttpsGoesThroughAConnectTunnelAndIsStillVerified() throws Exception {
        Path proxyDir = Files.createDirectories(dir.resolve("proxy"));
        try (Tinyproxy proxy = new Tinyproxy(proxyDir)) {
            assertThat(probe(trusting, 5, proxy.uri())).allSatisfy(r -> {
                assertThat(r.error()).isNull();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.phases().tlsMs()).as("TLS end to end through the tunnel").isNotNull().isPositive();
            });
            assertThat(probe(null, 3, proxy.uri())).as("the tunnel does not weaken certificate checks")
                    .allSatisfy(r -> assertThat(r.error()).isEqualTo("tls"));
            assertThat(Files.readString(proxyDir.resolve("tinyproxy.log"))).contains("CONNECT");
        }
    }

    @Test
    void anUntrustedCertificateIsATlsError() {
        List<Telemetry.Request> rs = probe(null, 10); // the JVM's default trust store does not know the certificate
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.error()).isEqualTo("tls");
            assertThat(r.status()).isZero();
            assertThat(r.phases().connectMs()).isNotNull();
            assertThat(r.phases().ttfbMs()).isNull();
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

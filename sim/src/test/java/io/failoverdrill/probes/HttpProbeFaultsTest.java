package io.failoverdrill.probes;

import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.rag.IndexArtifact;
import io.failoverdrill.sim.RegionProfile;
import io.failoverdrill.sim.SimRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP probe against a real simulated region on loopback, with faults injected: each fault shows up in what
 * the probe measures. (The sink is an in-memory list: what is under test is the measurement, not Kafka.)
 */
class HttpProbeFaultsTest {
    SimRegion region;
    final List<TelemetryEvent> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        region = new SimRegion(new RegionProfile("us-east", 20, 0.1, 0, 0, 11), io.failoverdrill.sim.RetrievalIndexes.standard(0));
    }

    @AfterEach
    void stop() {
        region.close();
    }

    List<Telemetry.Request> probe(int requests) {
        seen.clear();
        ProbeTarget target = new ProbeTarget("us-east", region.baseUri().resolve("/api"), region.baseUri(), false);
        try (RegionProbe probe = new RegionProbe(target, "probe-a", 40, Duration.ofMillis(1500), seen::add)) {
            probe.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> requests(seen).size() >= requests);
        }
        return requests(seen).subList(0, requests);
    }

    static List<Telemetry.Request> requests(List<TelemetryEvent> events) {
        return events.stream().filter(e -> e.payload() instanceof Telemetry.Request).map(e -> (Telemetry.Request) e.payload()).toList();
    }

    static double p95(List<Telemetry.Request> rs) {
        List<Double> l = new ArrayList<>(rs.stream().filter(r -> r.error() == null).map(Telemetry.Request::latencyMs).toList());
        Collections.sort(l);
        return l.get((int) Math.ceil(0.95 * l.size()) - 1);
    }

    @Test
    void aBrownoutOf200MsMovesTheMeasuredP95By200MsWithin15Percent() {
        probe(60); // warm-up: a cold JVM would inflate the baseline
        double before = p95(probe(120));
        region.setFaults(region.faults().withBrownout(200));
        double after = p95(probe(120));
        assertThat(after - before).isBetween(170.0, 230.0);
    }

    @Test
    void aBlackholeYieldsConnectOrTimeoutErrors() {
        region.setFaults(region.faults().withBlackhole(true));
        List<Telemetry.Request> rs = probe(40);
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.error()).isIn("connect", "timeout");
            assertThat(r.status()).isZero();
        });
    }

    @Test
    void anErrorBurstYieldsHttp5xxAtTheInjectedRateWithinFivePoints() {
        region.setFaults(region.faults().withErrorRate(0.30));
        List<Telemetry.Request> rs = probe(400);
        double share = rs.stream().filter(r -> "http_5xx".equals(r.error())).count() / (double) rs.size();
        assertThat(share).isBetween(0.25, 0.35);
        assertThat(rs).filteredOn(r -> "http_5xx".equals(r.error())).allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
    }

    @Test
    void statusEndpointsBecomeHealthIndexCacheBacklogAndHeartbeatEvents() {
        probe(40);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().map(e -> e.payload().type()).distinct().count() >= 6);
        assertThat(seen).extracting(e -> e.payload().type())
                .contains("request", "health", "index_meta", "cache", "backlog", "heartbeat");
        TelemetryEvent index = seen.stream().filter(e -> e.payload() instanceof Telemetry.IndexMeta).findFirst().orElseThrow();
        assertThat(((Telemetry.IndexMeta) index.payload()).indexHash()).isEqualTo(io.failoverdrill.sim.RetrievalIndexes.standard(0).indexHash());
    }

    @Test
    void plainHttpRequestsCarryConnectTtfbAndBodyPhasesButNoTls() {
        region.setFaults(region.faults().withBrownout(50));
        List<Telemetry.Request> rs = probe(30);
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.phases().connectMs()).isNotNull().isGreaterThanOrEqualTo(0.0);
            assertThat(r.phases().tlsMs()).isNull();
            assertThat(r.phases().ttfbMs()).as("the region's think time shows as time to first byte").isGreaterThanOrEqualTo(50.0);
            assertThat(r.phases().bodyMs()).isNotNull().isGreaterThanOrEqualTo(0.0);
            assertThat(r.latencyMs()).isGreaterThanOrEqualTo(r.phases().ttfbMs());
        });
        // on loopback a connect and a small body take a fraction of the think time (a GC pause may stretch one)
        assertThat(rs.stream().filter(r -> r.phases().connectMs() < 50 && r.phases().bodyMs() < r.phases().ttfbMs()).count())
                .isGreaterThanOrEqualTo(rs.size() - 2L);
    }

    @Test
    void staleRegionPinnedKeysYield401AuthErrorsUntilDualAcceptIsOn() throws Exception {
        admin("stale_keys=true");
        assertThat(probe(30)).allSatisfy(r -> {
            assertThat(r.error()).isEqualTo("auth");
            assertThat(r.status()).isEqualTo(401);
        });
        admin("dual_accept=true");
        assertThat(probe(30)).allSatisfy(r -> assertThat(r.error()).isNull());
    }

    @Test
    void aColdStartStormIsFlaggedColdOnTheRequestsItSlowsDown() throws Exception {
        admin("cold_share=0.5&cold_ms=150");
        List<Telemetry.Request> rs = probe(200);
        List<Telemetry.Request> cold = rs.stream().filter(Telemetry.Request::isCold).toList();
        assertThat(cold.size() / 200.0).isBetween(0.35, 0.65);
        assertThat(p95(cold)).isGreaterThan(p95(rs.stream().filter(r -> !r.isCold()).toList()) + 100);
    }

    private void admin(String query) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var resp = http.send(java.net.http.HttpRequest.newBuilder(region.baseUri().resolve("/admin/fault?" + query))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
    }
}

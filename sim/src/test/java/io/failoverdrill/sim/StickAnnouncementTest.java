package io.failoverdrill.sim;

import io.failoverdrill.probes.ProbeTarget;
import io.failoverdrill.probes.RegionProbe;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stick applied to the simulated router makes every region's responses announce the stick region (header
 * {@code X-Stick-Region}), and the real HTTP probe reports it as {@code stick_region}; before the stick, nothing is
 * announced.
 */
class StickAnnouncementTest {
    @Test
    void afterAStickEveryRegionAnnouncesItAndTheProbeReportsIt() throws Exception {
        Map<String, SimRegion> regions = new LinkedHashMap<>();
        regions.put("us-east", new SimRegion(new RegionProfile("us-east", 5, 0.05, 0, 0, 1), RetrievalIndexes.standard(0)));
        regions.put("eu-west", new SimRegion(new RegionProfile("eu-west", 5, 0.05, 0, 0, 2), RetrievalIndexes.standard(0)));
        WeightedRouter router = new WeightedRouter(regions, Map.of("us-east", 50, "eu-west", 50), 1, 1, 3);
        SimRegion east = regions.get("us-east");
        List<TelemetryEvent> seen = new CopyOnWriteArrayList<>();
        try (RegionProbe probe = new RegionProbe(new ProbeTarget("us-east", east.baseUri().resolve("/api"), east.baseUri(), false),
                "probe-a", 20, Duration.ofSeconds(2), seen::add)) {
            probe.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> responses(seen).size() >= 3);
            assertThat(responses(seen)).as("before the stick").allSatisfy(r -> assertThat(r.stickRegion()).isNull());

            router.stick("eu-west", 1);
            int before = seen.size();
            await().atMost(Duration.ofSeconds(20)).until(() -> responses(seen.subList(before, seen.size())).size() >= 5);
            List<Telemetry.Request> after = responses(seen.subList(before, seen.size()));
            assertThat(after.get(after.size() - 1).stickRegion()).as("the evacuated region's answers name the survivor")
                    .isEqualTo("eu-west");
        } finally {
            regions.values().forEach(SimRegion::close);
        }
    }

    private static List<Telemetry.Request> responses(List<TelemetryEvent> events) {
        return events.stream().filter(e -> e.payload() instanceof Telemetry.Request r && r.status() > 0
                && !r.target().startsWith("status:")).map(e -> (Telemetry.Request) e.payload()).toList();
    }
}

package io.failoverdrill.sim;

import io.failoverdrill.rag.IndexArtifact;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes over real HTTP across freeze → promote → replay: every acked write is applied exactly once. */
class WriteLedgerHttpTest {
    final Map<String, SimRegion> regions = new LinkedHashMap<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        IndexArtifact artifact = io.failoverdrill.sim.RetrievalIndexes.standard(0);
        regions.put("us-east", new SimRegion(new RegionProfile("us-east", 1, 0, 0, 0, 1), artifact));
        regions.put("eu-west", new SimRegion(new RegionProfile("eu-west", 1, 0, 0, 0, 2), artifact));
        regions.values().forEach(r -> r.setPeers(regions));
        regions.get("us-east").ledger().promote();
    }

    @AfterEach
    void stop() {
        regions.values().forEach(SimRegion::close);
    }

    int write(String region, String id) throws IOException, InterruptedException {
        URI uri = regions.get(region).baseUri().resolve("/write?id=" + id);
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void everyAckedWriteIsAppliedExactlyOnceAcrossFreezePromoteReplay() throws Exception {
        List<String> acked = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String region = i % 2 == 0 ? "us-east" : "eu-west"; // the follower forwards to the writer
            if (write(region, "a" + i) / 100 == 2) {
                acked.add("a" + i);
            }
        }
        regions.get("us-east").ledger().freeze(); // evacuate: accept and enqueue, no direct store writes
        for (int i = 0; i < 20; i++) {
            String region = i % 2 == 0 ? "us-east" : "eu-west";
            assertThat(write(region, "b" + i)).as("accepted into a queue while nobody writes").isEqualTo(202);
            acked.add("b" + i);
        }
        assertThat(regions.get("us-east").ledger().queueLength()).isEqualTo(10);

        SimRegion survivor = regions.get("eu-west");
        survivor.ledger().promote();
        assertThat(survivor.replayFrom(regions.values())).isEqualTo(20);
        for (int i = 0; i < 10; i++) { // writes still reaching the frozen region are relayed to the writer
            assertThat(write("us-east", "c" + i)).isEqualTo(202);
            acked.add("c" + i);
        }
        assertThat(write("eu-west", "b3")).as("a redelivered write is not applied twice").isEqualTo(200);

        WriteLedger east = regions.get("us-east").ledger();
        WriteLedger west = survivor.ledger();
        for (String id : acked) {
            assertThat(east.hasApplied(id) ^ west.hasApplied(id)).as(id + " applied in exactly one region").isTrue();
        }
        assertThat(east.appliedCount() + west.appliedCount()).isEqualTo(acked.size());
        assertThat(east.queueLength() + west.queueLength()).isZero();
    }
}

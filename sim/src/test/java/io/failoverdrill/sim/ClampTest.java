package io.failoverdrill.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A clamp on a simulated region sheds load above its concurrency limit and caps retrieval k; a release lifts both. */
class ClampTest {
    final HttpClient http = HttpClient.newHttpClient();

    List<Integer> burst(SimRegion r, int n) {
        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, n).mapToObj(i -> http.sendAsync(
                HttpRequest.newBuilder(r.baseUri().resolve("/api?key=k" + i)).build(), HttpResponse.BodyHandlers.ofString())).toList();
        return calls.stream().map(c -> c.join().statusCode()).toList();
    }

    int hits(SimRegion r) throws Exception {
        URI u = r.baseUri().resolve("/retrieve?q=" + java.net.URLEncoder.encode("How long does a rollback take?", "UTF-8") + "&k=10");
        String body = http.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new ObjectMapper().readTree(body).path("hits").size();
    }

    @Test
    void aClampShedsLoadAboveItsLimitAndCapsRetrievalK() throws Exception {
        try (SimRegion r = new SimRegion(new RegionProfile("us-east", 300, 0.05, 0, 0, 7), RetrievalIndexes.standard(0))) {
            assertThat(burst(r, 8)).containsOnly(200);
            assertThat(hits(r)).isEqualTo(10);
            r.clamp(2, 3);
            List<Integer> clamped = burst(r, 8);
            assertThat(clamped).contains(503);
            assertThat(clamped.stream().filter(s -> s == 200).count()).isBetween(1L, 2L);
            assertThat(hits(r)).isEqualTo(3);
            r.clamp(null, null);
            assertThat(burst(r, 8)).containsOnly(200);
            assertThat(hits(r)).isEqualTo(10);
        }
    }
}

package io.failoverdrill.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsEndpointTest {
    @Test
    void servesThePrometheusTextFormatOverHttp() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("drill.records.consumed", "topic", "drill.telemetry").increment(42);
        try (MetricsEndpoint endpoint = new MetricsEndpoint(registry, 0)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("drill_records_consumed_total{topic=\"drill.telemetry\"} 42.0");
        }
    }

    @Test
    void healthSays503UntilTheEngineHasRecoveredThen200() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
        try (MetricsEndpoint endpoint = new MetricsEndpoint(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 0, ready::get)) {
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/health")).build();
            HttpResponse<String> before = HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.ofString());
            assertThat(before.statusCode()).isEqualTo(503);
            assertThat(before.body()).isEqualTo("starting\n");
            ready.set(true);
            HttpResponse<String> after = HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).isEqualTo("ready\n");
        }
    }
}

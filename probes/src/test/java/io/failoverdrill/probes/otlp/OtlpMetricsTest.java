package io.failoverdrill.probes.otlp;

import io.failoverdrill.kafka.testkit.OtelMetricsClient;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * OTLP metrics written by the OpenTelemetry Java SDK (serialised with its own OTLP marshaler, as the Collector's Kafka
 * exporter writes records) become {@code request} telemetry: region and observer from the mapping, latency from the
 * bucket, status and error class from the attributes, event time from the point — for explicit and exponential
 * histograms, delta and cumulative, proto and JSON; what cannot be read is rejected with its path and reason.
 */
class OtlpMetricsTest {
    static final long T0_NANOS = 1_795_946_400_000L * 1_000_000L;
    static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final OtlpMapping MAPPING = new OtlpMapping(OtlpMapping.HTTP_CLIENT_DURATION,
            new OtlpMapping.Source("server.address", null, null, Map.of("use.api.example.com", "us-east", "euw.api.example.com", "eu-west")),
            new OtlpMapping.Source(null, "service.instance.id", null, null));

    /** A clock the test moves. */
    static final class TestClock implements Clock {
        long nanos = T0_NANOS;

        @Override
        public long now() {
            return nanos;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }
    }

    final TestClock clock = new TestClock();
    final List<byte[]> records = new ArrayList<>();

    OtelMetricsClient client(boolean delta, boolean exponential, boolean json) {
        return new OtelMetricsClient(Resource.create(Attributes.of(AttributeKey.stringKey("service.instance.id"), "app-7")),
                new OtelMetricsClient.Options(delta, exponential, json, Duration.ofHours(1), clock), records::add);
    }

    void recordTraffic(OtelMetricsClient c) {
        c.record(0.040, Attributes.of(SERVER, "use.api.example.com", STATUS, 200L));
        c.record(0.045, Attributes.of(SERVER, "use.api.example.com", STATUS, 200L));
        c.record(0.300, Attributes.of(SERVER, "use.api.example.com", STATUS, 503L));
        c.record(0.030, Attributes.of(SERVER, "euw.api.example.com", STATUS, 200L));
        c.record(2.000, Attributes.of(SERVER, "euw.api.example.com", ERROR_TYPE, "java.net.http.HttpConnectTimeoutException"));
        c.record(0.001, Attributes.of(SERVER, "euw.api.example.com", ERROR_TYPE, "java.net.ConnectException"));
    }

    List<TelemetryEvent> flush(OtelMetricsClient c, OtlpMetrics decoder) {
        clock.nanos += 1_000_000_000L;
        records.clear();
        c.flush();
        assertThat(records).hasSize(1);
        OtlpMetrics.Decoded d = decoder.decode(records.get(0));
        assertThat(d.rejected()).isEmpty();
        return d.events();
    }

    static Map<String, Long> requestsBy(List<TelemetryEvent> events, java.util.function.Function<TelemetryEvent, String> key) {
        return events.stream().collect(Collectors.groupingBy(key, java.util.TreeMap::new,
                Collectors.summingLong(e -> ((Telemetry.Request) e.payload()).requests())));
    }

    static Telemetry.Request request(List<TelemetryEvent> events, String region, int status, String error) {
        return events.stream().filter(e -> e.region().equals(region)).map(e -> (Telemetry.Request) e.payload())
                .filter(r -> r.status() == status && java.util.Objects.equals(r.error(), error)).findFirst().orElseThrow();
    }

    @Test
    void deltaExplicitBucketsBecomeRequestsPerBucketWithStatusesAndErrorClasses() {
        try (OtelMetricsClient c = client(true, false, false)) {
            recordTraffic(c);
            List<TelemetryEvent> events = flush(c, new OtlpMetrics(MAPPING));
            assertThat(requestsBy(events, TelemetryEvent::region)).isEqualTo(Map.of("eu-west", 3L, "us-east", 3L));
            assertThat(events).allSatisfy(e -> {
                assertThat(e.observer()).isEqualTo("app-7");
                assertThat(e.tsMs()).isEqualTo(T0_NANOS / 1_000_000 + 1000);
                assertThat(e.eventId()).startsWith("otlp-").hasSize(45);
            });
            Telemetry.Request ok = request(events, "us-east", 200, null);
            assertThat(ok.requests()).isEqualTo(2);
            assertThat(ok.latencyMs()).as("the bucket (25, 50] ms narrowed to the point's min and max").isEqualTo(42.5);
            Telemetry.Request failed = request(events, "us-east", 503, "http_5xx");
            assertThat(failed.latencyMs()).isEqualTo(300.0);
            assertThat(request(events, "eu-west", 0, "timeout").requests()).isEqualTo(1);
            assertThat(request(events, "eu-west", 0, "connect").requests()).isEqualTo(1);
            assertThat(request(events, "eu-west", 200, null).latencyMs()).isEqualTo(30.0);
            // every event is contract telemetry: it survives the engine's own decoder unchanged
            events.forEach(e -> assertThat(Codec.decodeInput(Codec.encode(e))).isEqualTo(e));
        }
    }

    @Test
    void otlpJsonGivesTheSameEventsAsOtlpProto() {
        List<TelemetryEvent> proto;
        try (OtelMetricsClient c = client(true, false, false)) {
            recordTraffic(c);
            proto = flush(c, new OtlpMetrics(MAPPING));
        }
        clock.nanos = T0_NANOS;
        try (OtelMetricsClient c = client(true, false, true)) {
            recordTraffic(c);
            List<TelemetryEvent> json = flush(c, new OtlpMetrics(MAPPING));
            assertThat(new String(records.get(0), StandardCharsets.UTF_8)).startsWith("{\"resourceMetrics\":");
            assertThat(json).containsExactlyInAnyOrderElementsOf(proto);
        }
    }

    @Test
    void cumulativePointsGiveTheDeltaSinceTheStreamsPreviousPointAndTheFirstIsABaseline() {
        OtlpMetrics decoder = new OtlpMetrics(MAPPING);
        try (OtelMetricsClient c = client(false, false, false)) {
            recordTraffic(c);
            assertThat(flush(c, decoder)).as("first point of each stream: a baseline, no events").isEmpty();
            c.record(0.040, Attributes.of(SERVER, "use.api.example.com", STATUS, 200L));
            List<TelemetryEvent> second = flush(c, decoder);
            assertThat(requestsBy(second, TelemetryEvent::region)).isEqualTo(Map.of("us-east", 1L));
            assertThat(flush(c, decoder)).as("nothing new").isEmpty();
            // the same record read again (a redelivery) gives the same ids: the engine counts them once
            OtlpMetrics fresh = new OtlpMetrics(MAPPING);
            assertThat(fresh.decode(records.get(0)).events()).as("a restarted reader starts with a baseline").isEmpty();
        }
    }

    @Test
    void exponentialBucketsKeepTheLatencyWithinTheirWidth() {
        try (OtelMetricsClient c = client(true, true, false)) {
            recordTraffic(c);
            List<TelemetryEvent> events = flush(c, new OtlpMetrics(MAPPING));
            assertThat(requestsBy(events, TelemetryEvent::region)).isEqualTo(Map.of("eu-west", 3L, "us-east", 3L));
            List<Double> usEastOk = events.stream().filter(e -> e.region().equals("us-east"))
                    .map(e -> (Telemetry.Request) e.payload()).filter(r -> r.status() == 200).map(Telemetry.Request::latencyMs).sorted().toList();
            assertThat(usEastOk).hasSize(2);
            assertThat(usEastOk.get(0)).isCloseTo(40.0, within(40.0 * 0.01));
            assertThat(usEastOk.get(1)).isCloseTo(45.0, within(45.0 * 0.01));
            assertThat(request(events, "us-east", 503, "http_5xx").latencyMs()).isCloseTo(300.0, within(3.0));
        }
    }

    @Test
    void unreadablePointsAreRejectedWithTheirPathAndReasonAndTheRestIsKept() {
        try (OtelMetricsClient c = client(true, false, false)) {
            c.record(0.040, Attributes.of(SERVER, "use.api.example.com", STATUS, 200L));
            c.record(0.040, Attributes.of(STATUS, 200L)); // no server.address: no region
            c.record(0.040, Attributes.of(SERVER, "Some_Host:8443", STATUS, 200L)); // not mapped, not a region id
            c.provider().get("other").counterBuilder("http.client.requests").build().add(3); // another metric: not ours
            clock.nanos += 1_000_000_000L;
            c.flush();
            OtlpMetrics.Decoded d = new OtlpMetrics(MAPPING).decode(records.get(0));
            assertThat(requestsBy(d.events(), TelemetryEvent::region)).isEqualTo(Map.of("us-east", 1L));
            assertThat(d.rejected()).extracting(OtlpMetrics.Rejected::reason).containsExactlyInAnyOrder(
                    "has no attribute 'server.address' (the region)",
                    "attribute 'server.address' is 'Some_Host:8443', not a region id (^[a-z0-9][a-z0-9-]{0,62}$): map it with \"values\"");
            assertThat(d.rejected()).allSatisfy(r -> assertThat(r.path())
                    .matches("\\$\\.resourceMetrics\\[0]\\.scopeMetrics\\[\\d]\\.metrics\\[0]\\.histogram\\.dataPoints\\[\\d]"));
        }
        OtlpMetrics.Decoded garbage = new OtlpMetrics(MAPPING).decode("not otlp at all".getBytes(StandardCharsets.UTF_8));
        assertThat(garbage.events()).isEmpty();
        assertThat(garbage.rejected()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("$");
            assertThat(r.reason()).startsWith("is not OTLP metrics in otlp_proto or otlp_json");
        });
        OtlpMetrics.Decoded badJson = new OtlpMetrics(MAPPING).decode("{\"resourceMetrics\": 7}".getBytes(StandardCharsets.UTF_8));
        assertThat(badJson.rejected()).singleElement().extracting(OtlpMetrics.Rejected::path).isEqualTo("$");
    }

    @Test
    void aDurationInBytesIsRejectedAtItsUnit() {
        String json = "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[]},\"scopeMetrics\":[{\"metrics\":[{\"name\":"
                + "\"http.client.request.duration\",\"unit\":\"By\",\"histogram\":{\"aggregationTemporality\":1,\"dataPoints\":[]}}]}]}]}";
        OtlpMetrics.Decoded d = new OtlpMetrics(MAPPING).decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(d.rejected()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("$.resourceMetrics[0].scopeMetrics[0].metrics[0].unit");
            assertThat(r.reason()).isEqualTo("must be 's' or 'ms' for a duration, got 'By'");
        });
    }

    @Test
    void aMappingFileErrorNamesItsJsonPath(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("ok.json");
        Files.writeString(ok, "{\"region\":{\"resource\":\"cloud.region\"},\"observer\":{\"value\":\"otel\"}}");
        OtlpMapping m = OtlpMapping.load(ok);
        assertThat(m.metric()).isEqualTo("http.client.request.duration");
        assertThat(m.region().resource()).isEqualTo("cloud.region");
        Path both = dir.resolve("both.json");
        Files.writeString(both, "{\"region\":{\"resource\":\"cloud.region\",\"attribute\":\"x\"},\"observer\":{\"value\":\"o\"}}");
        assertThatThrownBy(() -> OtlpMapping.load(both)).hasMessageEndingWith("$.region: must name exactly one of attribute, resource, value");
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"region\":{\"value\":\"us-east\"},\"observers\":{}}");
        assertThatThrownBy(() -> OtlpMapping.load(typo)).hasMessageEndingWith("$.observers: is not a mapping field (metric, region, observer)");
    }
}

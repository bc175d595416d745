package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.ClientProperties;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.kafka.testkit.OtelMetricsClient;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.probes.otlp.OtlpBridge;
import io.failoverdrill.probes.otlp.OtlpMapping;
import io.failoverdrill.schemas.decision.Verdict;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A brownout drill whose request telemetry comes only from OpenTelemetry: two client applications instrumented with
 * the OpenTelemetry Java SDK call the regions, record {@code http.client.request.duration} and export every second
 * through an exporter that writes each export to an {@code otlp_metrics} topic as the Collector's Kafka exporter
 * does ({@code otlp_proto}); the OTLP bridge turns the histograms into request telemetry — and the drill reaches the
 * same verdicts as with our own probes, and still fails when the survivor slows down.
 */
class OtlpDrillTest {
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** Two instrumented applications calling each region 10 times a second, and the bridge from their metrics topic. */
    static final class OtelApplications implements DemoDrill.RequestTelemetry {
        @Override
        public AutoCloseable start(Map<String, URI> regions, Map<String, Object> client, Topics topics) throws Exception {
            String otlpTopic = topics.prefix() + "otlp_metrics";
            SharedKafka.createTopic(otlpTopic, 1);
            Map<String, String> regionByPort = new TreeMap<>();
            regions.forEach((name, uri) -> regionByPort.put(Integer.toString(uri.getPort()), name));
            OtlpMapping mapping = new OtlpMapping(OtlpMapping.HTTP_CLIENT_DURATION,
                    new OtlpMapping.Source("server.port", null, null, regionByPort),
                    new OtlpMapping.Source(null, "service.instance.id", null, null));
            List<AutoCloseable> parts = new ArrayList<>();
            parts.add(new OtlpBridge(new OtlpBridge.Wiring(client, otlpTopic, topics.telemetry(), topics.dlq(),
                    topics.prefix() + "otlp-bridge", true), mapping, line -> { }).start());
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ClientProperties.with(client,
                    Map.of(ProducerConfig.ACKS_CONFIG, "all")), new ByteArraySerializer(), new ByteArraySerializer());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            ScheduledExecutorService load = Executors.newScheduledThreadPool(4);
            for (String app : List.of("otel-a", "otel-b")) {
                OtelMetricsClient otel = new OtelMetricsClient(Resource.create(Attributes.of(AttributeKey.stringKey("service.instance.id"), app)),
                        new OtelMetricsClient.Options(true, false, false, Duration.ofSeconds(1), null),
                        record -> producer.send(new ProducerRecord<>(otlpTopic, record))); // the Collector sets no key
                parts.add(0, otel);
                regions.values().forEach(uri -> load.scheduleAtFixedRate(() -> call(http, otel, uri), 0, 100, TimeUnit.MILLISECONDS));
            }
            parts.add(0, load::shutdownNow);
            parts.add(producer);
            return () -> {
                for (AutoCloseable p : parts) {
                    p.close();
                }
            };
        }

        private static void call(HttpClient http, OtelMetricsClient otel, URI region) {
            long t0 = System.nanoTime();
            Attributes where = Attributes.of(SERVER_ADDRESS, region.getHost(), SERVER_PORT, (long) region.getPort());
            http.sendAsync(HttpRequest.newBuilder(region.resolve("/api")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
                double seconds = (System.nanoTime() - t0) / 1e9;
                otel.record(seconds, err == null ? where.toBuilder().put(STATUS, (long) resp.statusCode()).build()
                        : where.toBuilder().put(ERROR_TYPE, err.getClass().getName()).build());
            });
        }

        @Override
        public String toString() {
            return "OpenTelemetry SDK clients otel-a, otel-b via otlp_metrics (otlp_proto) and the OTLP bridge";
        }
    }

    /**
     * The demo brownout without {@code stick_announced}: OTLP metrics carry no response headers, so whether the
     * responses announced the stick region cannot be told from them (with it listed, the OTLP run fails it for want of
     * data, as it should).
     */
    static final io.failoverdrill.schemas.plan.DrillPlan PLAN = withoutStickCheck();

    private static io.failoverdrill.schemas.plan.DrillPlan withoutStickCheck() {
        try (java.io.InputStream in = OtlpDrillTest.class.getResourceAsStream("/plans/demo-brownout.json")) {
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String edited = json.replace(", \"stick_announced\"]", "]");
            assertThat(edited).isNotEqualTo(json);
            return io.failoverdrill.schemas.Codec.decodePlan(edited.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, String> verdicts(DemoDrill.Result r) {
        Map<String, String> m = new TreeMap<>();
        r.decisions().stream().filter(d -> d instanceof Verdict).map(d -> (Verdict) d).forEach(v -> m.put(v.check(), v.status()));
        return m;
    }

    DemoDrill.Result drill(String prefix, DemoDrill.RequestTelemetry source, Breakage breakage, StringWriter console)
            throws InterruptedException {
        try (DemoDrill demo = new DemoDrill(new PrintWriter(console, true))) {
            if (source != null) {
                demo.requestsFrom(source);
            }
            return demo.run(PLAN, ClientProperties.of(SharedKafka.bootstrapServers()), prefix,
                    Duration.ofSeconds(150), 200, breakage);
        }
    }

    @Test
    void otlpMetricsDriveABrownoutToTheSameVerdictsAsOurProbes() throws InterruptedException {
        StringWriter otlpConsole = new StringWriter();
        DemoDrill.Result otlp = drill("otlp-pass.", new OtelApplications(), null, otlpConsole);
        assertThat(otlpConsole.toString()).contains("requests from OpenTelemetry SDK clients");
        assertThat(otlp.passed()).as(otlpConsole.toString()).isTrue();
        List<io.failoverdrill.schemas.event.TelemetryEvent> requests = io.failoverdrill.kafka.testkit.CommittedRecords
                .readToEnd(SharedKafka.bootstrapServers(), otlp.topics().telemetry()).stream()
                .map(r -> io.failoverdrill.schemas.Codec.decodeInput(r.value()))
                .filter(e -> e instanceof io.failoverdrill.schemas.event.TelemetryEvent t
                        && t.payload() instanceof io.failoverdrill.schemas.event.Telemetry.Request)
                .map(e -> (io.failoverdrill.schemas.event.TelemetryEvent) e).toList();
        assertThat(requests).as("every request event came through the OTLP bridge").isNotEmpty()
                .allSatisfy(e -> assertThat(e.observer()).isIn("otel-a", "otel-b"))
                .anySatisfy(e -> assertThat(((io.failoverdrill.schemas.event.Telemetry.Request) e.payload()).requests()).isGreaterThan(1));
        StringWriter probeConsole = new StringWriter();
        DemoDrill.Result probes = drill("otlp-probes.", null, null, probeConsole);
        assertThat(probes.passed()).as(probeConsole.toString()).isTrue();
        assertThat(verdicts(otlp)).as(otlpConsole.toString()).isEqualTo(verdicts(probes));
    }

    @Test
    void aSurvivorThatSlowsDownStillFailsTheDrillOnOtlpMetrics() throws InterruptedException {
        StringWriter console = new StringWriter();
        DemoDrill.Result r = drill("otlp-slow.", new OtelApplications(), Breakage.SLOW_SURVIVOR, console);
        assertThat(r.passed()).as(console.toString()).isFalse();
        assertThat(verdicts(r)).as(console.toString()).containsEntry("p95_ratio", "fail");
    }
}

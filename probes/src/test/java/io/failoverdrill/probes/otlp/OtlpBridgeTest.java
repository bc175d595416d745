package io.failoverdrill.probes.otlp;

import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.OtelMetricsClient;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.DeadLetters;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OTLP bridge on a real broker: the SDK's records on the metrics topic become request telemetry keyed by region;
 * a record with an unmappable point, and one that is not OTLP, reach the dead-letter topic whole, with the path and
 * reason; a second bridge reading the same records publishes the same event ids.
 */
class OtlpBridgeTest {
    static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    @Test
    void metricsBecomeTelemetryAndUnmappablePointsReachTheDeadLetterTopic() throws Exception {
        String otlp = "otlp-bridge.otlp_metrics";
        String telemetry = "otlp-bridge.telemetry";
        String dlq = "otlp-bridge.dlq";
        for (String t : List.of(otlp, telemetry, dlq)) {
            SharedKafka.createTopic(t, 1);
        }
        List<byte[]> exported = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        try (OtelMetricsClient app = new OtelMetricsClient(Resource.create(Attributes.of(AttributeKey.stringKey("service.instance.id"), "app-1")),
                new OtelMetricsClient.Options(true, false, true, Duration.ofHours(1), null), exported::add)) {
            app.record(0.040, Attributes.of(SERVER, "us-east", STATUS, 200L));
            app.record(0.050, Attributes.of(SERVER, "us-east", STATUS, 200L));
            app.flush();
            app.record(0.040, Attributes.of(SERVER, "eu-west", STATUS, 500L));
            app.record(0.040, Attributes.of(SERVER, "10.0.0.7", STATUS, 200L)); // unmappable
            app.flush();
            records.addAll(exported); // what the two exports wrote (closing the SDK exports once more)
        }
        records.add("not otlp".getBytes(StandardCharsets.UTF_8));
        String bootstrap = SharedKafka.bootstrapServers();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] r : records) {
                p.send(new ProducerRecord<>(otlp, r)).get();
            }
        }
        OtlpMapping mapping = new OtlpMapping(OtlpMapping.HTTP_CLIENT_DURATION, new OtlpMapping.Source("server.address", null, null, null),
                new OtlpMapping.Source(null, "service.instance.id", null, null));
        Map<String, Object> client = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (OtlpBridge bridge = new OtlpBridge(new OtlpBridge.Wiring(client, otlp, telemetry, dlq, "otlp-bridge-1", true),
                mapping, said::add).start()) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> bridge.stats().records() == 3 && CommittedRecords.readToEnd(bootstrap, dlq).size() == 2);
            assertThat(bridge.stats()).isEqualTo(new OtlpBridge.Stats(3, 2, 2));
        }
        List<ConsumerRecord<String, byte[]>> events = CommittedRecords.readToEnd(bootstrap, telemetry);
        assertThat(events).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("us-east", "eu-west");
        List<TelemetryEvent> decoded = events.stream().map(r -> (TelemetryEvent) Codec.decodeInput(r.value())).toList();
        assertThat(decoded).extracting(e -> ((Telemetry.Request) e.payload()).requests()).containsExactlyInAnyOrder(2L, 1L);
        assertThat(decoded).filteredOn(e -> e.region().equals("eu-west")).singleElement()
                .extracting(e -> ((Telemetry.Request) e.payload()).error()).isEqualTo("http_5xx");

        List<ConsumerRecord<String, byte[]>> dead = CommittedRecords.readToEnd(bootstrap, dlq);
        assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo("attribute 'server.address' is '10.0.0.7', not a region id "
                + "(^[a-z0-9][a-z0-9-]{0,62}$): map it with \"values\"");
        // the export may also hold the SDK's own scope (io.opentelemetry.sdk.metrics), before or after ours
        assertThat(header(dead.get(0), DeadLetters.PATH))
                .matches("\\$\\.resourceMetrics\\[0]\\.scopeMetrics\\[\\d+]\\.metrics\\[\\d+]\\.histogram\\.dataPoints\\[\\d+]");
        assertThat(header(dead.get(0), DeadLetters.SOURCE)).isEqualTo(otlp + "/0@1");
        assertThat(dead.get(0).value()).as("the record, whole").isEqualTo(records.get(1));
        assertThat(header(dead.get(1), DeadLetters.PATH)).isEqualTo("$");
        assertThat(header(dead.get(1), DeadLetters.SOURCE)).isEqualTo(otlp + "/0@2");
        assertThat(said).anySatisfy(l -> assertThat(l).contains("dead-lettered " + otlp + "/0@1"));

        // a bridge that reads the same records again (a crash before its commit) publishes the same ids
        try (OtlpBridge again = new OtlpBridge(new OtlpBridge.Wiring(client, otlp, telemetry, dlq, "otlp-bridge-2", true),
                mapping, line -> { }).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> again.stats().records() == 3);
        }
        List<String> ids = CommittedRecords.readToEnd(bootstrap, telemetry).stream()
                .map(r -> ((TelemetryEvent) Codec.decodeInput(r.value())).eventId()).toList();
        assertThat(ids).hasSize(4);
        assertThat(new java.util.HashSet<>(ids)).hasSize(2);
    }

    @Test
    void aBridgeThatCannotWriteStopsSaysWhyAndCommitsNothing() throws Exception {
        String otlp = "otlp-bridge-fail.otlp_metrics";
        SharedKafka.createTopic(otlp, 1);
        List<byte[]> exported = new ArrayList<>();
        try (OtelMetricsClient app = new OtelMetricsClient(Resource.create(Attributes.of(AttributeKey.stringKey("service.instance.id"), "app-1")),
                new OtelMetricsClient.Options(true, false, true, Duration.ofHours(1), null), exported::add)) {
            app.record(0.040, Attributes.of(SERVER, "us-east", STATUS, 200L));
            app.flush();
        }
        String bootstrap = SharedKafka.bootstrapServers();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(otlp, exported.get(0))).get();
        }
        OtlpMapping mapping = new OtlpMapping(OtlpMapping.HTTP_CLIENT_DURATION, new OtlpMapping.Source("server.address", null, null, null),
                new OtlpMapping.Source(null, "service.instance.id", null, null));
        List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
        String group = "otlp-bridge-fail";
        // a telemetry topic the broker refuses (an illegal name): the event cannot be written
        try (OtlpBridge bridge = new OtlpBridge(new OtlpBridge.Wiring(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                otlp, "no such topic!", "otlp-bridge-fail.dlq", group, true), mapping, said::add).onFailure(failed::countDown).start()) {
            assertThat(failed.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the bridge reported its failure").isTrue();
            assertThat(bridge.stats().records()).isEqualTo(1);
        }
        assertThat(said).anySatisfy(l -> assertThat(l).startsWith("otlp     bridge stopped, nothing committed past what was written: "));
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the record that was not bridged is read again by the next bridge").isEmpty();
        }
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}

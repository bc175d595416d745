package io.failoverdrill.sim;

import io.failoverdrill.probes.AppTelemetry;

import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code fault} control events, through a real broker, change the simulated regions (each once), and webhooks
 * reach the third party over HTTP — with a stale target, the same dedupe key arrives from two regions.
 */
class FaultEventsTest {
    @Test
    void faultControlEventsAreAppliedOnceAndWebhooksArriveOverHttp() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String topic = "faults-test.control";
        SharedKafka.createTopic(topic, 1);
        List<TelemetryEvent> seen = new CopyOnWriteArrayList<>();
        AppTelemetry events = new AppTelemetry(seen::add, "sim-ledger", System::currentTimeMillis);
        var artifact = RetrievalIndexes.standard(0);
        try (SimRegion east = new SimRegion(new RegionProfile("us-east", 5, 0.1, 0, 0, 1), artifact);
             SimRegion west = new SimRegion(new RegionProfile("eu-west", 5, 0.1, 0, 0, 2), artifact);
             WebhookEmitter webhooks = new WebhookEmitter("us-east", events);
             FaultListener faults = new FaultListener(bootstrap, topic, "faults-test", Map.of("us-east", east, "eu-west", west),
                     webhooks, 200, line -> { });
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new StringSerializer(), new ByteArraySerializer())) {
            faults.start();
            webhooks.start(100);
            for (String kind : List.of("brownout", "index_skew", "webhook_target_stale", "blackhole")) {
                ControlEvent e = new ControlEvent("f-" + kind, System.currentTimeMillis(), "d1", "fault", new ControlEvent.Fault(kind, "us-east"));
                producer.send(new ProducerRecord<>(topic, "d1", Codec.encode(e)));
                producer.send(new ProducerRecord<>(topic, "d1", Codec.encode(e))); // a repeated event is applied once
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> east.faults().blackhole());
            assertThat(east.faults().addedLatencyMs()).isEqualTo(200);
            assertThat(east.index().analyzer()).isEqualTo("truncate-5");
            assertThat(east.index().indexHash()).isNotEqualTo(artifact.indexHash());
            assertThat(west.faults()).isEqualTo(Faults.NONE);
            // the emitter role moves to eu-west (route_webhooks), but the third party still targets us-east
            webhooks.routeTo("eu-west");
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream()
                    .filter(t -> ((Telemetry.Webhook) t.payload()).emittedFrom().equals("eu-west")).count() >= 3);
        }
        assertThat(seen).allSatisfy(t -> assertThat(t.payload()).isInstanceOf(Telemetry.Webhook.class));
        Map<String, List<String>> fromByKey = new java.util.TreeMap<>();
        seen.forEach(t -> fromByKey.computeIfAbsent(((Telemetry.Webhook) t.payload()).dedupeKey(), k -> new java.util.ArrayList<>())
                .add(((Telemetry.Webhook) t.payload()).emittedFrom()));
        assertThat(fromByKey.values()).as("after the re-route every event arrives twice: from eu-west and the stale us-east")
                .anySatisfy(from -> assertThat(from).containsExactlyInAnyOrder("eu-west", "us-east"));
    }
}

package io.failoverdrill.probes;

import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The application's side of the telemetry: write-ledger and webhook events as the contract has them, checked first. */
class AppTelemetryTest {
    @Test
    void publishesWritesAndWebhooksToTheTelemetryTopicKeyedByRegion() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String topic = "app.telemetry";
        SharedKafka.createTopic(topic, 3);
        try (AppTelemetry app = AppTelemetry.toKafka(Map.of("bootstrap.servers", bootstrap), topic, "orders-api")) {
            app.write("us-east", "order-1", "acked", "us-east");
            app.write("eu-west", "order-1", "enqueued", "us-east");
            app.webhook("eu-west", "sha256:abc", Map.of("event_id", "evt-1", "rev", 1L));
        }
        List<ConsumerRecord<String, byte[]>> records = CommittedRecords.readToEnd(bootstrap, topic);
        assertThat(records).hasSize(3);
        List<TelemetryEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TelemetryEvent e = (TelemetryEvent) Codec.decodeInput(r.value());
            assertThat(r.key()).isEqualTo(e.region());
            assertThat(e.observer()).isEqualTo("orders-api");
            events.add(e);
        }
        assertThat(events).extracting(TelemetryEvent::payload).contains(new Telemetry.Write("order-1", "acked", "us-east"),
                new Telemetry.Write("order-1", "enqueued", "us-east"));
        assertThat(events).extracting(TelemetryEvent::payload).filteredOn(p -> p instanceof Telemetry.Webhook)
                .singleElement().satisfies(p -> assertThat(((Telemetry.Webhook) p).emittedFrom()).isEqualTo("eu-west"));
        assertThat(events).extracting(TelemetryEvent::eventId).doesNotHaveDuplicates();
    }

    @Test
    void anEventTheBrokerRefusesIsCountedAndReportedNotDropped() {
        java.util.concurrent.atomic.AtomicReference<Exception> reported = new java.util.concurrent.atomic.AtomicReference<>();
        // a topic the broker refuses (an illegal name)
        try (KafkaTelemetrySink sink = new KafkaTelemetrySink(SharedKafka.bootstrapServers(), "no such topic!").onFailure(reported::set);
             AppTelemetry app = new AppTelemetry(sink, "orders-api", System::currentTimeMillis)) {
            app.write("us-east", "order-1", "applied", "us-east");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> sink.failed() == 1);
            assertThat(reported.get()).isInstanceOf(org.apache.kafka.common.errors.InvalidTopicException.class);
            assertThat(app.failedSends()).isEqualTo(1);
        }
    }

    @Test
    void aValueTheContractRefusesFailsTheCallNamingTheFieldAndSendsNothing() {
        List<TelemetryEvent> sent = new ArrayList<>();
        AppTelemetry app = new AppTelemetry(sent::add, "orders-api", () -> 1_795_946_400_000L);
        assertThatThrownBy(() -> app.write("us-east", "order-1", "committed", "us-east"))
                .isInstanceOf(ContractViolation.class).hasMessageContaining("$.state");
        assertThatThrownBy(() -> app.webhook("US East", "k")).isInstanceOf(ContractViolation.class).hasMessageContaining("$.region");
        assertThat(sent).isEmpty();
        app.write("us-east", "order-2", "applied", "us-east");
        assertThat(sent).singleElement().satisfies(e -> assertThat(e.tsMs()).isEqualTo(1_795_946_400_000L));
    }
}

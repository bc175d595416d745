package io.failoverdrill.probes;

import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.event.Telemetry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The probe's backlog equals the real lag of a real consumer group; the oldest age comes from the record timestamp. */
class KafkaBacklogProbeTest {
    @Test
    void backlogLengthIsTheGroupsLagAndAgeIsThatOfTheOldestUnconsumedRecord() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String topic = "backlog.writes";
        SharedKafka.createTopic(topic, 3);
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 90; i++) { // 30 per partition, stamped 60 s … 31 s ago
                p.send(new ProducerRecord<>(topic, i % 3, now - 60_000 + (i / 3) * 1000L, null, new byte[]{1}));
            }
            p.flush();
        }
        try (KafkaConsumer<byte[], byte[]> group = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "writer-replay"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // the consumer group has applied 10 records of partition 0 and 25 of partition 1, none of partition 2
            group.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(10),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(25)));
        }
        try (KafkaBacklogProbe probe = new KafkaBacklogProbe(bootstrap, "writer-replay", topic, "us-east", "probe-a")) {
            Telemetry.Backlog b = probe.measure();
            assertThat(b.length()).isEqualTo(20 + 5 + 30);
            assertThat(b.queue()).isEqualTo("writer-replay@" + topic);
            // oldest unconsumed: partition 2 offset 0, stamped 60 s before `now`
            assertThat(b.oldestAgeMs()).isCloseTo(60_000 + (System.currentTimeMillis() - now), within(2_000.0));
        }
    }
}

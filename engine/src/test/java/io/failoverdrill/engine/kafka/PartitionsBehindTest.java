package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which partitions count as behind, on Kafka's own {@link MockConsumer} (a pure unit test of the rule; the broker-backed
 * evidence is {@code CatchUpOnPrefilledTopicsTest}, which fails without this rule when batches are handled ahead).
 */
class PartitionsBehindTest {
    private final TopicPartition tp = new TopicPartition("telemetry", 0);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final PartitionsBehind behind = new PartitionsBehind();

    PartitionsBehindTest() {
        consumer.assign(List.of(tp));
    }

    @Test
    void aPartitionWithNoFetchAnswerYetIsBehind() {
        // the real consumer knows no lag before its first fetch answer; MockConsumer always does, so say it here
        MockConsumer<byte[], byte[]> fresh = new MockConsumer<>("earliest") {
            @Override
            public java.util.OptionalLong currentLag(TopicPartition partition) {
                return java.util.OptionalLong.empty();
            }
        };
        fresh.assign(List.of(tp));
        fresh.seek(tp, 0);
        assertThat(behind.read(fresh)).containsExactly("telemetry/0");
    }

    @Test
    void aPartitionWithLagIsBehindAndOneReadToTheEndIsNot() {
        consumer.updateEndOffsets(Map.of(tp, 10L));
        consumer.seek(tp, 0);
        assertThat(behind.read(consumer)).containsExactly("telemetry/0");

        behind.handed(records(0, 10));
        consumer.seek(tp, 10);
        assertThat(behind.read(consumer)).isEmpty();
    }

    @Test
    void recordsPolledButNotYetHandedOverKeepThePartitionBehind() {
        consumer.updateEndOffsets(Map.of(tp, 15L));
        behind.handed(records(0, 10));
        consumer.seek(tp, 15); // the consumer polled 10..14 into reactor-kafka's queue: lag 0, but not handed yet
        assertThat(consumer.currentLag(tp)).hasValue(0);
        assertThat(behind.read(consumer)).containsExactly("telemetry/0");

        behind.handed(records(10, 5)); // the queued batch arrives
        assertThat(behind.read(consumer)).isEmpty();
    }

    @Test
    void aGapThatStaysIsTransactionMarkersAndStopsCountingAfterOneReading() {
        consumer.updateEndOffsets(Map.of(tp, 11L));
        behind.handed(records(0, 10)); // offsets 0..9; offset 10 is the commit marker, never handed over
        consumer.seek(tp, 11);
        assertThat(behind.read(consumer)).as("moved since the last reading: may be a queued record").containsExactly("telemetry/0");
        assertThat(behind.read(consumer)).as("the gap stayed: a marker").isEmpty();
    }

    private List<ConsumerRecord<byte[], byte[]>> records(long from, int count) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (long o = from; o < from + count; o++) {
            out.add(new ConsumerRecord<>(tp.topic(), tp.partition(), o, null, new byte[0]));
        }
        return out;
    }
}

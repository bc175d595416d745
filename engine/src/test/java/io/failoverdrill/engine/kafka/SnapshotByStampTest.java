package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.runtime.OutboundRecord;
import io.failoverdrill.kafka.testkit.SharedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A snapshot named by its stamp alone — what the snapshot's own commit can say — on a real broker: found from the
 * stamp without reading the state records written before it, and still found when the topic stamped it earlier than
 * the engine did (the broker's append time, its clock behind).
 */
class SnapshotByStampTest {
    static final int OTHERS = 3_000;

    @Test
    void aSnapshotWithoutAPositionIsReadFromItsStampNotFromMinutesBefore() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("bystamp.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        long stamp = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = KafkaEngineDlqTest.producer(bootstrap)) {
            for (int i = 0; i < OTHERS; i++) { // drills' state records of the last minute, as a busy serve group writes
                producer.send(new ProducerRecord<>(topics.state(), null, stamp - 60_000 + i, "drill-" + (i % 40),
                        "{\"phase\":\"observe\"}".getBytes(StandardCharsets.UTF_8)));
            }
            // appended by a broker whose clock is 90 s behind: it lies before the first record stamped at or after its stamp
            producer.send(snapshot(topics, "guard-b", 3, stamp - 90_000, "{\"b\":3}"));
            producer.send(snapshot(topics, "guard-a", 7, stamp, "{\"a\":7}"));
            producer.flush();
        }
        Map<String, Object> consumer = KafkaEventLog.readCommitted(Map.of("bootstrap.servers", bootstrap));

        Snapshots.Found a = Snapshots.read(consumer, topics, "guard-a", new Snapshots.Mark(new Snapshots.Ref(7, stamp), null, null, 8));
        assertThat(new String(a.value(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":7}");
        assertThat(a.scanned()).as("read from its stamp: none of the %d records before it", OTHERS).isEqualTo(1);

        Snapshots.Found b = Snapshots.read(consumer, topics, "guard-b", new Snapshots.Mark(new Snapshots.Ref(3, stamp), null, null, 4));
        assertThat(new String(b.value(), StandardCharsets.UTF_8)).isEqualTo("{\"b\":3}");
        assertThat(b.scanned()).as("not after its stamp: read again from %d ms before", Snapshots.SKEW_MS)
                .isGreaterThan(OTHERS);

        assertThatThrownBy(() -> Snapshots.read(consumer, topics, "guard-c", new Snapshots.Mark(new Snapshots.Ref(1, stamp), null, null, 2)))
                .hasMessageContaining("no longer holds it");
    }

    static ProducerRecord<String, byte[]> snapshot(Topics topics, String id, long batch, long ts, String value) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.state(), null, ts, id, value.getBytes(StandardCharsets.UTF_8));
        r.headers().add(OutboundRecord.SNAPSHOT_BATCH_HEADER, Long.toString(batch).getBytes(StandardCharsets.UTF_8));
        return r;
    }
}

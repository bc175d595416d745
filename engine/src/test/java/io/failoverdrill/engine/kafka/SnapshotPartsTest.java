package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.runtime.OutboundRecord;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Sha256;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A snapshot written in parts is joined on recovery only when every part of that very snapshot is found and they add
 * up to the size and SHA-256 its summary names; otherwise recovery stops, naming the snapshot.
 */
class SnapshotPartsTest {
    static final Topics TOPICS = new Topics("snapparts-unit.");
    static final String CORE = "{\"kind\":\"guard\",\"id\":\"g\",\"filler\":\"" + "x".repeat(50) + "\"}";
    static Map<String, Object> client;

    @BeforeAll
    static void topics() throws Exception {
        TopicProvisioner.ensure(SharedKafka.bootstrapServers(), TOPICS, (short) 1);
        client = KafkaEventLog.readCommitted(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()));
    }

    @Test
    void thePartsOfTheSnapshotAreJoinedIntoItsCore() throws Exception {
        Snapshots.Found found = write("whole", 7, CORE, part(CORE, 1), part(CORE, 2));
        byte[] value = Snapshots.whole(client, TOPICS, "whole", new Snapshots.Ref(7, found.timestampMs()), found);
        var joined = new com.fasterxml.jackson.databind.ObjectMapper().readTree(value);
        assertThat(joined.get("core").get("filler").asText()).hasSize(50);
        assertThat(joined.has("core_parts")).isFalse();
        assertThat(joined.get("phase").asText()).isEqualTo("observe");
    }

    @Test
    void aMissingPartStopsRecoveryAndSaysSo() throws Exception {
        Snapshots.Found found = write("missing", 7, CORE, part(CORE, 1), null);
        assertThatThrownBy(() -> Snapshots.whole(client, TOPICS, "missing", new Snapshots.Ref(7, found.timestampMs()), found))
                .hasMessageContaining("snapshot snapshot:7@").hasMessageContaining("of 'missing' was written in 2 parts; 1 of them are no longer on snapparts-unit.state");
    }

    @Test
    void aPartOfAnotherSnapshotIsNotTaken() throws Exception {
        Snapshots.Found found = write("other", 7, CORE, part(CORE, 1), null);
        try (KafkaProducer<String, byte[]> p = KafkaEngineDlqTest.producer(SharedKafka.bootstrapServers())) {
            send(p, OutboundRecord.snapshotPartKey("other", 2), part(CORE, 2).getBytes(StandardCharsets.UTF_8), "6:2/2");
        }
        assertThatThrownBy(() -> Snapshots.whole(client, TOPICS, "other", new Snapshots.Ref(7, found.timestampMs()), found))
                .hasMessageContaining("1 of them are no longer on");
    }

    @Test
    void partsThatDoNotAddUpStopRecovery() throws Exception {
        Snapshots.Found found = write("altered", 7, CORE, part(CORE, 1), part(CORE, 2).replace('x', 'y'));
        assertThatThrownBy(() -> Snapshots.whole(client, TOPICS, "altered", new Snapshots.Ref(7, found.timestampMs()), found))
                .hasMessageContaining("the parts of snapshot snapshot:7@")
                .hasMessageContaining("do not add up to what its summary names (bytes, SHA-256): cannot recover");
    }

    private static String part(String core, int i) {
        int half = core.length() / 2;
        return i == 1 ? core.substring(0, half) : core.substring(half);
    }

    /** The parts (null: left out), then the summary naming {@code core}, as the engine writes them. */
    private static Snapshots.Found write(String id, long batch, String core, String part1, String part2) throws Exception {
        byte[] bytes = core.getBytes(StandardCharsets.UTF_8);
        String summary = "{\"drill_id\":\"" + id + "\",\"phase\":\"observe\",\"core_parts\":{\"parts\":2,\"bytes\":" + bytes.length
                + ",\"sha256\":\"" + Sha256.hex(bytes) + "\"}}";
        try (KafkaProducer<String, byte[]> p = KafkaEngineDlqTest.producer(SharedKafka.bootstrapServers())) {
            if (part1 != null) {
                send(p, OutboundRecord.snapshotPartKey(id, 1), part1.getBytes(StandardCharsets.UTF_8), batch + ":1/2");
            }
            if (part2 != null) {
                send(p, OutboundRecord.snapshotPartKey(id, 2), part2.getBytes(StandardCharsets.UTF_8), batch + ":2/2");
            }
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(TOPICS.state(), id, summary.getBytes(StandardCharsets.UTF_8));
            r.headers().add(OutboundRecord.SNAPSHOT_BATCH_HEADER, Long.toString(batch).getBytes(StandardCharsets.UTF_8));
            RecordMetadata m = p.send(r).get();
            return new Snapshots.Found(r.value(), new Snapshots.Position(m.partition(), m.offset()), m.timestamp(), 1);
        }
    }

    private static void send(KafkaProducer<String, byte[]> p, String key, byte[] value, String header) throws Exception {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(TOPICS.state(), key, value);
        r.headers().add(OutboundRecord.SNAPSHOT_PART_HEADER, header.getBytes(StandardCharsets.UTF_8));
        p.send(r).get();
    }
}

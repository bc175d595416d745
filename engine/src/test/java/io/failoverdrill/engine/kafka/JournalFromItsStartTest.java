package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.replay.TopicReplay;
import io.failoverdrill.engine.runtime.Journal;
import io.failoverdrill.kafka.testkit.SharedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replay and export feed a drill's inputs from its first batch on: a journal whose first entries are gone (its own
 * retention) or that misses one is refused, naming the batch — never replayed from the middle into another state.
 */
class JournalFromItsStartTest {
    static final Topics TOPICS = new Topics("journalstart.");
    static Map<String, Object> client;

    @BeforeAll
    static void topics() throws Exception {
        TopicProvisioner.ensure(SharedKafka.bootstrapServers(), TOPICS, (short) 1);
        client = Map.of("bootstrap.servers", SharedKafka.bootstrapServers());
    }

    @Test
    void aJournalWhoseFirstBatchesAreGoneIsNotReplayed() throws Exception {
        journal("cut", 3, 4);
        assertThatThrownBy(() -> TopicReplay.consumed(client, TOPICS, "cut", e -> { }))
                .isInstanceOf(BeyondRetentionException.class)
                .hasMessage("the journal of 'cut' on journalstart.journal begins at batch 3: batches before 3 are beyond the journal's retention");
    }

    @Test
    void aJournalMissingABatchIsNotReplayed() throws Exception {
        journal("gap", 0, 1, 3);
        assertThatThrownBy(() -> TopicReplay.consumed(client, TOPICS, "gap", e -> { }))
                .isInstanceOf(BeyondRetentionException.class)
                .hasMessageContaining("misses batch 2 (next found: 3)");
    }

    private static void journal(String drill, long... batches) throws Exception {
        try (KafkaProducer<String, byte[]> p = KafkaEngineDlqTest.producer(SharedKafka.bootstrapServers())) {
            for (long b : batches) {
                byte[] entry = new Journal.Entry(drill, b, List.of(new Journal.Run(TOPICS.telemetry(), 0, b, 1))).bytes();
                p.send(new ProducerRecord<>(TOPICS.journal(), drill, entry)).get();
            }
        }
    }
}

package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.GuardCoreTest;
import io.failoverdrill.engine.runtime.Journal;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal and state topics are shared by every drill and guard, so recovery must not read them from their
 * beginning (or from a time minutes back): a guard's commits name where its snapshot and the journal after it are, and
 * recovery reads from there — past none of the thousands of other engines' entries written before. Where the named
 * place is wrong (a journal whose partitions were changed, a mark of an earlier version), recovery still finds every
 * batch, by time, and decides the same.
 */
class RecoveryReadsFromItsMarkTest {
    private static final int OTHERS = 5_000;

    @Test
    void aRecoveringGuardReadsTheJournalFromWhereItsLastCommitSaysAndNoEarlier() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
        Topics topics = new Topics("ownmark.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        DrillPlan policy = GuardCoreTest.policy();
        List<InputEvent> events = GuardCoreTest.traffic(200, s -> s >= 60 && s < 150 ? 400 : 100);
        int half = events.size() / 2;
        List<String> expected = GuardCoreTest.run(policy, events).stream().map(Codec::encodeToString).toList();

        try (KafkaProducer<String, byte[]> producer = KafkaEngineDlqTest.producer(bootstrap)) {
            others(producer, topics, "before");
            GuardSnapshotRecoveryTest.send(producer, topics, events.subList(0, half));
            GuardSnapshotRecoveryTest.runUntilConsumed(bootstrap, topics, policy, half);
            // restarted twice for more events: its commits now name the places its recoveries found
            for (int upTo : List.of(half + 400, half + 800)) {
                GuardSnapshotRecoveryTest.send(producer, topics, events.subList(upTo - 400, upTo));
                GuardSnapshotRecoveryTest.runUntilConsumed(bootstrap, topics, policy, upTo);
            }
            others(producer, topics, "after");

            String group = KafkaEventLog.engineId(topics, policy.drillId());
            Snapshots.Mark mark = Snapshots.latestMark(client, group);
            assertThat(mark.snapshot()).as("the guard snapshotted while it ran").isNotNull();
            assertThat(mark.state()).as("its commits name where the snapshot is").isNotNull();
            assertThat(mark.journal()).as("… and where the journal after it begins").isNotNull();
            List<Journal.Entry> all = KafkaEventLog.readJournal(bootstrap, topics, policy.drillId());
            assertThat(mark.batches()).as("and how many batches are committed").isEqualTo(all.size());

            Map<String, Object> consumer = KafkaEventLog.readCommitted(client);
            List<Journal.Entry> after = all.stream().filter(e -> e.batch() > mark.snapshot().batch()).toList();
            Snapshots.JournalTail tail = Snapshots.journalAfter(consumer, topics, policy.drillId(), mark);
            assertThat(tail.entries()).as("every entry after the snapshot").isEqualTo(after);
            assertThat(tail.scanned()).as("read from the mark: none of the %d entries of others written before", OTHERS)
                    .isLessThanOrEqualTo(all.size() + OTHERS);
            Snapshots.Found snapshot = Snapshots.read(consumer, topics, policy.drillId(), mark);
            assertThat(snapshot.at()).isEqualTo(mark.state());

            // a mark whose places are wrong: the journal named past the first entry needed, the state at another record
            assertThat(after).as("entries after the snapshot to be missed").hasSizeGreaterThanOrEqualTo(2);
            Snapshots.Mark wrong = new Snapshots.Mark(mark.snapshot(), new Snapshots.Position(0, mark.state().offset() + 1),
                    new Snapshots.Position(0, tail.last().offset()), mark.batches());
            Snapshots.JournalTail byTime = Snapshots.journalAfter(consumer, topics, policy.drillId(), wrong);
            assertThat(byTime.entries()).as("found by time instead: still every entry").isEqualTo(after);
            assertThat(Snapshots.read(consumer, topics, policy.drillId(), wrong).value()).isEqualTo(snapshot.value());

            // and the guard resumes from its mark and decides as one that never stopped
            GuardSnapshotRecoveryTest.send(producer, topics, events.subList(half + 800, events.size()));
            GuardSnapshotRecoveryTest.runUntilConsumed(bootstrap, topics, policy, events.size());
        }
        assertThat(CommittedRecords.values(bootstrap, topics.clampCommands())).containsExactlyElementsOf(expected);
    }

    /** {@value #OTHERS} journal entries of other engines (recovery skips them by key, so their values do not matter). */
    private static void others(KafkaProducer<String, byte[]> producer, Topics topics, String tag) {
        for (int i = 0; i < OTHERS; i++) {
            producer.send(new ProducerRecord<>(topics.journal(), "other-" + tag + "-" + (i % 50),
                    "{}".getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }
}

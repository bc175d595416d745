package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.core.GuardCoreTest;
import io.failoverdrill.engine.replay.TopicReplay;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.Journal;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A guard that ran, snapshotting as it went, stops mid-incident; its early input is then deleted (as retention
 * would). Restarted, it restores its latest snapshot, replays only the journal after it, and from there decides
 * exactly as a guard that never stopped: the clamp topic holds the same commands, once each. Re-reading the guard
 * from its journal alone (what replay and export do) names the offsets that are gone.
 */
class GuardSnapshotRecoveryTest {
    @Test
    void aGuardWhoseEarlyInputWasDeletedRestartsFromItsSnapshotAndDecidesTheSame() throws Exception {
        restartsFromItsSnapshotAfterItsEarlyInputWasDeleted(new Topics("snaprec."), Integer.MAX_VALUE);
    }

    /**
     * The same with the snapshot written in parts of 4 KiB, as a busy guard's is (its remembered event ids outgrow one
     * record): recovery joins them, and the parts never show as drills or guards of their own.
     */
    @Test
    void aSnapshotWrittenInPartsRestoresTheGuardWhole() throws Exception {
        Topics topics = new Topics("snapparts.");
        restartsFromItsSnapshotAfterItsEarlyInputWasDeleted(topics, 4096);
        Map<String, Object> client = Map.of("bootstrap.servers", SharedKafka.bootstrapServers());
        List<String> partKeys = new java.util.ArrayList<>();
        TopicScan.scan(KafkaEventLog.readCommitted(client), topics.state(), p -> true, 0, r -> {
            if (r.headers().lastHeader(io.failoverdrill.engine.runtime.OutboundRecord.SNAPSHOT_PART_HEADER) != null) {
                partKeys.add(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return false;
        });
        String guard = GuardCoreTest.policy().drillId();
        assertThat(partKeys).as("the snapshots were written in parts").contains(guard + "\0part-1", guard + "\0part-2");
        assertThat(CompactedTopics.states(client, topics)).containsOnlyKeys(guard)
                .allSatisfy((id, state) -> assertThat(DrillRuntime.holdsCore(state)).isTrue());
    }

    /** {@code partBytes}: the largest part a snapshot is written in ({@code MAX_VALUE}: the default). */
    private static void restartsFromItsSnapshotAfterItsEarlyInputWasDeleted(Topics topics, int partBytes) throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        DrillPlan policy = GuardCoreTest.policy();
        // us-east slow from second 60 to 150: the guard is clamping when it stops, at second 100
        List<InputEvent> events = GuardCoreTest.traffic(200, s -> s >= 60 && s < 150 ? 400 : 100);
        int cut = (int) events.stream().filter(e -> e.tsMs() < events.get(0).tsMs() + 100_000).count();
        List<String> expected = GuardCoreTest.run(policy, events).stream().map(Codec::encodeToString).toList();
        assertThat(expected).as("clamped before the stop, tightened and released after it").hasSizeGreaterThan(3);
        TopicPartition input = new TopicPartition(topics.telemetry(), 0);

        try (KafkaProducer<String, byte[]> producer = KafkaEngineDlqTest.producer(bootstrap);
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            send(producer, topics, events.subList(0, cut));
            runUntilConsumed(bootstrap, topics, policy, cut, partBytes);

            // retention: everything the latest snapshot no longer needs is deleted
            Snapshots.Mark mark = Snapshots.latestMark(Map.of("bootstrap.servers", bootstrap),
                    KafkaEventLog.engineId(topics, policy.drillId()));
            Snapshots.Ref snapshot = mark == null ? null : mark.snapshot();
            assertThat(snapshot).as("the guard snapshotted while it ran").isNotNull();
            List<Journal.Entry> after = KafkaEventLog.readJournal(bootstrap, topics, policy.drillId()).stream()
                    .filter(e -> e.batch() > snapshot.batch()).toList();
            long needed = after.stream().flatMap(e -> e.runs().stream()).mapToLong(Journal.Run::fromOffset).min().orElse(cut);
            assertThat(needed).as("input before the snapshot exists to be deleted").isGreaterThan(0);
            admin.deleteRecords(Map.of(input, RecordsToDelete.beforeOffset(needed))).all().get(30, TimeUnit.SECONDS);

            assertThatThrownBy(() -> TopicReplay.consumed(Map.of("bootstrap.servers", bootstrap), topics, policy.drillId(), e -> { }))
                    .as("the journal alone cannot rebuild it: the gap is named")
                    .isInstanceOf(BeyondRetentionException.class)
                    .hasMessageContaining(input + "@0, but the broker keeps " + input + " only from @" + needed);
            Throwable gone = org.assertj.core.api.Assertions.catchThrowable(() ->
                    TopicReplay.consumed(Map.of("bootstrap.servers", bootstrap), topics, policy.drillId(), e -> { }));
            assertThat(io.failoverdrill.engine.runtime.Supervisor.fenced(gone))
                    .as("an engine whose input is gone is not restarted over and over").isTrue();

            send(producer, topics, events.subList(cut, events.size()));
            runUntilConsumed(bootstrap, topics, policy, events.size(), partBytes);
        }
        assertThat(CommittedRecords.values(bootstrap, topics.decisions())).containsExactlyElementsOf(expected);
        assertThat(CommittedRecords.values(bootstrap, topics.clampCommands())).containsExactlyElementsOf(expected);
    }

    static void send(KafkaProducer<String, byte[]> producer, Topics topics, List<InputEvent> events) {
        events.forEach(e -> producer.send(new ProducerRecord<>(topics.telemetry(), 0, ((TelemetryEvent) e).region(), Codec.encode(e))));
        producer.flush();
    }

    /** Runs a guard engine (recovering first) until it has consumed {@code offset} records of the input, then stops it. */
    static void runUntilConsumed(String bootstrap, Topics topics, DrillPlan policy, long offset) {
        runUntilConsumed(bootstrap, topics, policy, offset, Integer.MAX_VALUE);
    }

    private static void runUntilConsumed(String bootstrap, Topics topics, DrillPlan policy, long offset, int partBytes) {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, policy.drillId(), new KafkaEventLog.Options(500, null, (b, s) -> { }));
        DrillRuntime runtime = new DrillRuntime(new GuardCore(policy), log, null).snapshotEvery(1500, Duration.ofHours(1));
        if (partBytes != Integer.MAX_VALUE) {
            runtime.snapshotPartBytes(partBytes);
        }
        Disposable guard = runtime.run().subscribe(d -> { }, failures::add);
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                assertThat(failures).isEmpty();
                return EmergencyStopOnKafkaTest.committed(topics, topics.telemetry(), policy.drillId()) == offset;
            });
        } finally {
            guard.dispose();
            log.close();
        }
    }
}

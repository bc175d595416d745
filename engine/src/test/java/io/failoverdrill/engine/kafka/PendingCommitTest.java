package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.runtime.EventLogPort;
import io.failoverdrill.engine.runtime.InboundRecord;
import io.failoverdrill.engine.runtime.OutboundRecord;
import io.failoverdrill.engine.runtime.OutboundRecord.Destination;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PendingCommitTest {
    private static OutboundRecord out(Destination d, Map<String, String> headers) {
        return new OutboundRecord(d, "g", new byte[]{1}, headers);
    }

    private static EventLogPort.BatchResult<String> result(List<OutboundRecord> outputs, List<String> results, InboundRecord... consumed) {
        return new EventLogPort.BatchResult<>(outputs, results, List.of(consumed));
    }

    @Test
    void onlyAJournalEntryAndAStateSummaryAreQuiet() {
        OutboundRecord journal = out(Destination.JOURNAL, Map.of());
        assertThat(PendingCommit.quiet(result(List.of(journal), List.of()))).isTrue();
        assertThat(PendingCommit.quiet(result(List.of(journal, out(Destination.STATE, Map.of())), List.of()))).isTrue();
        assertThat(PendingCommit.quiet(result(List.of(journal, out(Destination.STATE,
                Map.of(OutboundRecord.SNAPSHOT_BATCH_HEADER, "4"))), List.of()))).as("a core snapshot").isFalse();
        assertThat(PendingCommit.quiet(result(List.of(journal, out(Destination.DLQ, Map.of())), List.of()))).as("a DLQ record").isFalse();
        assertThat(PendingCommit.quiet(result(List.of(journal, out(Destination.CLAMP_COMMANDS, Map.of())), List.of("clamp"))))
                .as("a decision").isFalse();
        assertThat(PendingCommit.quiet(result(List.of(journal), List.of("phase")))).as("a result someone waits for").isFalse();
    }

    @Test
    void batchesCommitTheirOutputsInOrderAndEachPartitionsNextOffset() {
        PendingCommit pending = new PendingCommit();
        List<String> done = new ArrayList<>();
        OutboundRecord j1 = out(Destination.JOURNAL, Map.of());
        OutboundRecord j2 = out(Destination.JOURNAL, Map.of());
        OutboundRecord snapshot = out(Destination.STATE, Map.of(OutboundRecord.SNAPSHOT_BATCH_HEADER, "1"));
        pending.add(new EventLogPort.BatchResult<>(List.of(j1), List.of(), List.of(new InboundRecord("t", 0, 5, null, null),
                new InboundRecord("t", 1, 9, null, null)), () -> done.add("first")), 100);
        pending.add(new EventLogPort.BatchResult<>(List.of(j2, snapshot), List.of(), List.of(new InboundRecord("t", 0, 6, null, null)),
                () -> done.add("second")), 400);
        assertThat(pending.waitedNanos(1_100)).isEqualTo(1_000);
        PendingCommit taken = pending.take();
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.waitedNanos(5_000)).isZero();
        assertThat(taken.batches()).isEqualTo(2);
        assertThat(taken.outputs()).containsExactly(j1, j2, snapshot);
        assertThat(taken.snapshotBatch()).isEqualTo("1");
        assertThat(taken.offsets("m")).isEqualTo(Map.of(new TopicPartition("t", 0), new OffsetAndMetadata(7, "m"),
                new TopicPartition("t", 1), new OffsetAndMetadata(10, "m")));
        taken.committed();
        assertThat(done).containsExactly("first", "second");
    }

    @Test
    void whatWaitsIsBounded() {
        PendingCommit pending = new PendingCommit();
        for (int i = 0; i < PendingCommit.MAX_BATCHES - 1; i++) {
            pending.add(result(List.of(out(Destination.JOURNAL, Map.of())), List.of()), i);
        }
        assertThat(pending.full()).isFalse();
        pending.add(result(List.of(out(Destination.JOURNAL, Map.of())), List.of()), 0);
        assertThat(pending.full()).as("%d batches", PendingCommit.MAX_BATCHES).isTrue();
        pending.take();
        pending.add(result(List.of(new OutboundRecord(Destination.JOURNAL, "g", new byte[(int) PendingCommit.MAX_BYTES], Map.of())),
                List.of()), 0);
        assertThat(pending.full()).as("one big journal entry").isTrue();
    }
}

package io.failoverdrill.engine.kafka;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The mark every commit carries in its offsets' metadata: written and read back, and an earlier version's read. */
class SnapshotMarkTest {
    @Test
    void aMarkReadsBackAsWritten() {
        Snapshots.Mark full = new Snapshots.Mark(new Snapshots.Ref(41, 1_796_000_000_000L), new Snapshots.Position(0, 17),
                new Snapshots.Position(2, 90_001), 57);
        assertThat(full.metadata()).isEqualTo("snapshot:41@1796000000000 state:0@17 journal:2@90001 batches:57");
        assertThat(Snapshots.Mark.parse(full.metadata())).isEqualTo(full);
        Snapshots.Mark noSnapshot = new Snapshots.Mark(null, null, new Snapshots.Position(0, 5), 3);
        assertThat(Snapshots.Mark.parse(noSnapshot.metadata())).isEqualTo(noSnapshot);
        assertThat(Snapshots.Mark.NONE.metadata()).isEmpty();
    }

    @Test
    void anEarlierVersionsMarkNamesOnlyItsSnapshotAndNoCount() {
        Snapshots.Mark old = Snapshots.Mark.parse("snapshot:7@1796000000000");
        assertThat(old).isEqualTo(new Snapshots.Mark(new Snapshots.Ref(7, 1_796_000_000_000L), null, null, -1));
    }

    @Test
    void metadataThatIsNotAMarkIsNone() {
        assertThat(Snapshots.Mark.parse("")).isNull();
        assertThat(Snapshots.Mark.parse(null)).isNull();
        assertThat(Snapshots.Mark.parse("committed by someone else")).isNull();
        assertThat(Snapshots.Mark.parse("snapshot:x@1")).isNull();
        assertThat(Snapshots.Mark.parse("journal:3")).isNull();
    }

    @Test
    void theLaterOfTwoMarksCountsMoreBatches() {
        Snapshots.Mark a = new Snapshots.Mark(new Snapshots.Ref(9, 1), null, null, 12);
        Snapshots.Mark b = new Snapshots.Mark(new Snapshots.Ref(5, 1), null, null, 30);
        assertThat(Snapshots.Mark.later(b, a)).isTrue();
        assertThat(Snapshots.Mark.later(a, b)).isFalse();
        Snapshots.Mark oldA = Snapshots.Mark.parse("snapshot:9@1");
        Snapshots.Mark oldB = Snapshots.Mark.parse("snapshot:5@1");
        assertThat(Snapshots.Mark.later(oldA, oldB)).as("without counts: the later snapshot").isTrue();
    }
}

package io.failoverdrill.engine.runtime;

import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeMergeTest {
    static final long T0 = 1_795_946_400_000L;

    static List<InboundRecord> records(int partition, long fromOffset, long... secs) {
        List<InboundRecord> out = new ArrayList<>();
        for (int i = 0; i < secs.length; i++) {
            out.add(new InboundRecord("t", partition, fromOffset + i, null, new byte[0]));
        }
        return out;
    }

    static Object[] events(int partition, long... secs) {
        Object[] out = new Object[secs.length];
        for (int i = 0; i < secs.length; i++) {
            out[i] = new TelemetryEvent("p" + partition + "-" + secs[i] + "-" + i, "r" + partition, "o", T0 + secs[i] * 1000, null,
                    new Telemetry.Heartbeat());
        }
        return out;
    }

    static List<Long> seconds(List<EventTimeMerge.Pending> out) {
        return out.stream().map(p -> (p.tsMs() - T0) / 1000).toList();
    }

    @Test
    void aPartitionFarAheadWaitsForTheLaggingOneAndThenTheyInterleaveByEventTime() {
        EventTimeMerge merge = new EventTimeMerge(1000, 1000);
        // partition 0 arrives with 10 s of events while partition 1 (behind) has delivered nothing yet: all held
        assertThat(merge.offer(records(0, 0, 0, 2, 4, 6, 8, 10), events(0, 0, 2, 4, 6, 8, 10), Set.of("t/1"))).isEmpty();
        // partition 1 delivers its first 5 s and is still behind: everything up to its last event + 1 s goes, in ts order
        List<EventTimeMerge.Pending> out = merge.offer(records(1, 0, 1, 3, 5), events(1, 1, 3, 5), Set.of("t/1"));
        assertThat(seconds(out)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        // partition 1 caught up: the rest goes
        assertThat(seconds(merge.offer(List.of(), new Object[0], Set.of()))).containsExactly(8L, 10L);
        assertThat(merge.held()).isZero();
    }

    @Test
    void caughtUpPartitionsNeverHoldAnythingBackAndOrderWithinAPartitionIsKept() {
        EventTimeMerge merge = new EventTimeMerge(1000, 1000);
        // a late event (ts 1 after ts 5) stays where it is in its partition
        List<EventTimeMerge.Pending> out = merge.offer(records(0, 0, 5, 1, 6), events(0, 5, 1, 6), Set.of());
        assertThat(seconds(out)).containsExactly(5L, 1L, 6L);
    }

    @Test
    void aLivePartitionOneFetchBehindIsWithinTheSlack() {
        EventTimeMerge merge = new EventTimeMerge(1000, 1000);
        merge.offer(records(1, 0, 10), events(1, 10), Set.of());
        // partition 1 has newer records not fetched yet, but its last event is only 0.5 s older than partition 0's
        List<Long> out = seconds(merge.offer(records(0, 0, 10), events(0, 10), Set.of("t/1")));
        assertThat(out).containsExactly(10L);
    }

    @Test
    void beyondTheCapTheNewestAreLetGoToBeReadAgainInsteadOfReleasedEarly() {
        EventTimeMerge merge = new EventTimeMerge(3, 1000);
        // partition 1 is behind and has delivered nothing: nothing of partition 0 may go, and only 3 records stay
        List<EventTimeMerge.Pending> out = merge.offer(records(0, 10, 1, 2, 3, 4, 5), events(0, 1, 2, 3, 4, 5), Set.of("t/1"));
        assertThat(out).isEmpty();
        assertThat(merge.held()).isEqualTo(3);
        assertThat(merge.takeRewinds()).containsExactly(Map.entry("t/0", 13L)); // offsets 13 and 14 are read again
        assertThat(merge.takeRewinds()).isEmpty();
        // partition 1 delivers up to 4 s and catches up; partition 0 is read again from offset 13
        assertThat(seconds(merge.offer(records(1, 0, 2, 4), events(1, 2, 4), Set.of("t/0")))).containsExactly(1L, 2L, 2L, 3L, 4L);
        assertThat(seconds(merge.offer(records(0, 13, 4, 5), events(0, 4, 5), Set.of()))).containsExactly(4L, 5L);
        assertThat(merge.held()).isZero();
    }

    @Test
    void whatIsLetGoComesFromThePartitionsFurthestAheadInEventTime() {
        EventTimeMerge merge = new EventTimeMerge(4, 1000);
        merge.offer(records(0, 0, 2, 3, 9), events(0, 2, 3, 9), Set.of("t/2"));
        merge.offer(records(1, 0, 4, 7, 8), events(1, 4, 7, 8), Set.of("t/2"));
        // held: 2 3 9 | 4 7 8 — the two newest (9 of partition 0, then 8 of partition 1) go
        assertThat(merge.held()).isEqualTo(4);
        assertThat(merge.takeRewinds()).containsExactly(Map.entry("t/0", 2L), Map.entry("t/1", 2L));
    }
}

package io.failoverdrill.engine.runtime;

import io.failoverdrill.engine.runtime.EventTimeMerge.Pending;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the partitions, batch sizes and lag pattern: every record comes out exactly once, in offset order within
 * its partition, never more than the cap is held, and once nothing is behind everything has come out; with events in
 * order within each partition, however different the partitions' rates and however small the cap, nothing comes out
 * more than the slack behind what came before (records beyond the cap are read again instead of released early).
 */
class EventTimeMergePropertiesTest {
    static final long T0 = 1_795_946_400_000L;

    @Property(tries = 200, seed = "20261129")
    void recordsComeOutOnceInPartitionOrderWithinTheCap(@ForAll @IntRange(min = 1, max = 6) int partitions,
                                                        @ForAll @IntRange(min = 1, max = 400) int perPartition,
                                                        @ForAll @IntRange(min = 5, max = 300) int cap,
                                                        @ForAll long seed) {
        // each partition: mostly increasing event time with jitter and the odd late event
        List<Pending> out = run(partitions, perPartition, cap, new Random(seed), true);

        assertThat(out).hasSize(partitions * perPartition).extracting(Pending::record).doesNotHaveDuplicates();
        Map<Integer, Long> lastOffset = new HashMap<>();
        for (Pending x : out) {
            Long before = lastOffset.put(x.record().partition(), x.record().offset());
            if (before != null) {
                assertThat(x.record().offset()).as("offset order within partition %d", x.record().partition()).isGreaterThan(before);
            }
        }
    }

    @Property(tries = 200, seed = "20261129")
    void partitionsAtDifferentRatesMakeNothingLateWhateverTheCap(@ForAll @IntRange(min = 2, max = 6) int partitions,
                                                                 @ForAll @IntRange(min = 50, max = 400) int perPartition,
                                                                 @ForAll @IntRange(min = 5, max = 100) int cap,
                                                                 @ForAll long seed) {
        // events in order within each partition, at up to 4 times the rate of another: what comes out is never more
        // than the slack older than anything before it, so no watermark with at least that lateness makes it late
        List<Pending> out = run(partitions, perPartition, cap, new Random(seed), false);

        assertThat(out).hasSize(partitions * perPartition);
        long newest = out.get(0).tsMs();
        for (Pending x : out) {
            assertThat(x.tsMs()).as("released after %d", newest).isGreaterThanOrEqualTo(newest - SLACK_MS);
            newest = Math.max(newest, x.tsMs());
        }
    }

    static final long SLACK_MS = 1_000;

    /**
     * Feeds a merge with {@code cap} as a consumer would: random slices of some partitions per batch, a partition
     * behind while it has records left, read again from where the merge let records go. Checks the cap after every
     * batch and that nothing is left at the end; returns what came out, in order.
     */
    private static List<Pending> run(int partitions, int perPartition, int cap, Random random, boolean jitter) {
        Map<Integer, List<InboundRecord>> log = new HashMap<>();
        Map<Integer, Integer> next = new HashMap<>(); // per partition: index of the next record to hand out
        Map<InboundRecord, Object> decoded = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            List<InboundRecord> list = new ArrayList<>();
            long ts = T0 + random.nextInt(5_000);
            int rate = 1 + random.nextInt(4);
            for (int i = 0; i < perPartition; i++) {
                ts += jitter ? random.nextInt(200) - (random.nextInt(20) == 0 ? 3_000 : 0) : random.nextInt(200 / rate + 1);
                InboundRecord r = new InboundRecord("t", p, i * 2L, null, new byte[]{(byte) p, (byte) i}); // gaps, like transaction markers
                list.add(r);
                decoded.put(r, new TelemetryEvent("e" + p + "-" + i, "r", "o", ts, null, new Telemetry.Heartbeat()));
            }
            log.put(p, list);
            next.put(p, 0);
        }
        EventTimeMerge merge = new EventTimeMerge(cap, SLACK_MS);
        List<Pending> out = new ArrayList<>();
        for (int round = 0; next.entrySet().stream().anyMatch(e -> e.getValue() < log.get(e.getKey()).size()); round++) {
            assertThat(round).as("rounds").isLessThan(100_000);
            List<InboundRecord> batch = new ArrayList<>();
            for (int p = 0; p < partitions; p++) { // the consumer hands out a random slice of some partitions
                List<InboundRecord> l = log.get(p);
                int from = next.get(p);
                int n = random.nextInt(3) == 0 ? 0 : Math.min(l.size() - from, 1 + random.nextInt(60));
                batch.addAll(l.subList(from, from + n));
                next.put(p, from + n);
            }
            Set<String> behind = new HashSet<>();
            next.forEach((p, i) -> {
                if (i < log.get(p).size()) {
                    behind.add(EventTimeMerge.key("t", p));
                }
            });
            out.addAll(merge.offer(batch, batch.stream().map(decoded::get).toArray(), behind));
            assertThat(merge.held()).isLessThanOrEqualTo(cap);
            merge.takeRewinds().forEach((key, offset) -> next.put(Integer.parseInt(key.substring(2)), (int) (offset / 2)));
        }
        out.addAll(merge.offer(List.of(), new Object[0], Set.of()));
        assertThat(merge.held()).isZero();
        return out;
    }
}

package io.failoverdrill.engine.runtime;

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
 * its partition, never more than the cap is held, and once nothing is behind everything has come out.
 */
class EventTimeMergePropertiesTest {
    static final long T0 = 1_795_946_400_000L;

    @Property(tries = 200, seed = "20261129")
    void recordsComeOutOnceInPartitionOrderWithinTheCap(@ForAll @IntRange(min = 1, max = 6) int partitions,
                                                        @ForAll @IntRange(min = 1, max = 400) int perPartition,
                                                        @ForAll @IntRange(min = 5, max = 300) int cap,
                                                        @ForAll long seed) {
        Random random = new Random(seed);
        // each partition: mostly increasing event time with jitter and the odd late event
        Map<Integer, List<InboundRecord>> pending = new HashMap<>();
        Map<InboundRecord, Object> decoded = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            List<InboundRecord> list = new ArrayList<>();
            long ts = T0 + random.nextInt(5_000);
            for (int i = 0; i < perPartition; i++) {
                ts += random.nextInt(200) - (random.nextInt(20) == 0 ? 3_000 : 0);
                InboundRecord r = new InboundRecord("t", p, i * 2L, null, new byte[]{(byte) p, (byte) i}); // gaps, like transaction markers
                list.add(r);
                decoded.put(r, new TelemetryEvent("e" + p + "-" + i, "r", "o", ts, null, new Telemetry.Heartbeat()));
            }
            pending.put(p, list);
        }
        EventTimeMerge merge = new EventTimeMerge(cap, 1_000);
        List<InboundRecord> out = new ArrayList<>();
        while (pending.values().stream().anyMatch(l -> !l.isEmpty())) {
            List<InboundRecord> batch = new ArrayList<>();
            for (int p = 0; p < partitions; p++) { // the consumer hands out a random slice of some partitions
                List<InboundRecord> l = pending.get(p);
                int n = random.nextInt(3) == 0 ? 0 : Math.min(l.size(), 1 + random.nextInt(60));
                batch.addAll(l.subList(0, n));
                l.subList(0, n).clear();
            }
            Set<String> behind = new HashSet<>();
            pending.forEach((p, l) -> {
                if (!l.isEmpty()) {
                    behind.add(EventTimeMerge.key("t", p));
                }
            });
            Object[] d = batch.stream().map(decoded::get).toArray();
            merge.offer(batch, d, behind).forEach(x -> out.add(x.record()));
            assertThat(merge.held()).isLessThanOrEqualTo(cap);
        }
        merge.offer(List.of(), new Object[0], Set.of()).forEach(x -> out.add(x.record()));

        assertThat(merge.held()).isZero();
        assertThat(out).hasSize(partitions * perPartition).doesNotHaveDuplicates();
        Map<Integer, Long> lastOffset = new HashMap<>();
        for (InboundRecord r : out) {
            Long before = lastOffset.put(r.partition(), r.offset());
            if (before != null) {
                assertThat(r.offset()).as("offset order within partition %d", r.partition()).isGreaterThan(before);
            }
        }
    }
}

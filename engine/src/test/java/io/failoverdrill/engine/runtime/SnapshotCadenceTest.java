package io.failoverdrill.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.testing.GuardTraffic;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.GuardPolicy;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How often a guard writes its snapshot: at the set count of consumed records while the snapshot is small, and no
 * more than {@link DrillRuntime#SNAPSHOT_BYTES_PER_RECORD} bytes of snapshot per consumed record once it is large —
 * a busy guard's multi-megabyte snapshot must not be written every second. A pure test: batches handed over by a port
 * that commits everything; the wall clock stands still, so only the record count triggers.
 */
class SnapshotCadenceTest {
    static final int BATCH = 20;

    /** The batches a port hands over, and what each committed. */
    static final class HandedBatches implements EventLogPort {
        final List<List<InboundRecord>> batches;
        final List<EventLogPort.BatchResult<?>> committed = new ArrayList<>();

        HandedBatches(List<List<InboundRecord>> batches) {
            this.batches = batches;
        }

        @Override
        public <T> Flux<T> process(Function<Batch, Mono<BatchResult<T>>> handler) {
            return Flux.fromIterable(batches).concatMap(records -> handler.apply(
                    new Batch(records, Mono.just(Set.of()), rewind -> Mono.empty())).flatMapIterable(result -> {
                        committed.add(result);
                        result.afterCommit().run();
                        return result.results();
                    }));
        }

        @Override
        public Recovery recover(String drillId) {
            return Recovery.ofJournal(List.of());
        }
    }

    /** Records consumed before each snapshot, and each snapshot's core size in bytes. */
    record Snapshot(long consumedBefore, int coreBytes) {
    }

    @Test
    void aSmallSnapshotComesAtTheSetCountALargeOneNoMoreThanItsBytesPerRecordAllow() throws Exception {
        DrillPlan policy = GuardPolicy.decode(Files.readAllBytes(Path.of("..", "plans", "guard.json")));
        List<InputEvent> events = GuardTraffic.of(240, s -> 80);

        List<Snapshot> everyHundred = snapshots(policy, events, 100);
        List<Snapshot> everyTwoThousand = snapshots(policy, events, 2_000);
        int size = everyHundred.get(0).coreBytes();
        assertThat((long) size / DrillRuntime.SNAPSHOT_BYTES_PER_RECORD).as("this guard's snapshot is large for a count of 100, "
                + "small for one of 2,000").isBetween(100L + BATCH, 2_000L - BATCH);

        assertThat(everyTwoThousand).as("small: every 2,000 records, at the batch that reaches them").hasSizeGreaterThan(3)
                .allSatisfy(s -> assertThat(s.consumedBefore() % 2_000).isLessThan(BATCH));
        assertThat(spacings(everyTwoThousand)).allSatisfy(gap -> assertThat(gap).isBetween(2_000L - BATCH, 2_000L + BATCH));

        assertThat(everyHundred).as("large: still written, but spaced by its size").hasSizeGreaterThan(3);
        for (int i = 1; i < everyHundred.size(); i++) {
            long due = Math.max(100, everyHundred.get(i - 1).coreBytes() / DrillRuntime.SNAPSHOT_BYTES_PER_RECORD);
            long gap = everyHundred.get(i).consumedBefore() - everyHundred.get(i - 1).consumedBefore();
            // the test measures the core re-serialized: within a percent of the bytes the runtime wrote
            assertThat(gap).as("records between snapshots %d and %d", i, i + 1).isBetween(due - due / 100, due + due / 100 + BATCH);
        }
    }

    /** Runs a guard over {@code events} in batches of {@value #BATCH}, snapshotting every {@code records}. */
    private static List<Snapshot> snapshots(DrillPlan policy, List<InputEvent> events, long records) throws Exception {
        List<List<InboundRecord>> batches = new ArrayList<>();
        for (int from = 0; from < events.size(); from += BATCH) {
            List<InboundRecord> batch = new ArrayList<>();
            for (int i = from; i < Math.min(events.size(), from + BATCH); i++) {
                TelemetryEvent e = (TelemetryEvent) events.get(i);
                batch.add(new InboundRecord("cadence.telemetry", 0, i, e.region().getBytes(StandardCharsets.UTF_8), Codec.encode(e)));
            }
            batches.add(batch);
        }
        HandedBatches port = new HandedBatches(batches);
        Clock still = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);
        new DrillRuntime(new GuardCore(policy), port, null, Schedulers.immediate(), still)
                .snapshotEvery(records, Duration.ofHours(1)).run().blockLast(Duration.ofSeconds(60));

        ObjectMapper json = new ObjectMapper();
        List<Snapshot> out = new ArrayList<>();
        long consumed = 0;
        for (EventLogPort.BatchResult<?> r : port.committed) {
            consumed += r.consumed().size();
            for (OutboundRecord o : r.outputs()) {
                if (o.headers().containsKey(OutboundRecord.SNAPSHOT_BATCH_HEADER)) {
                    JsonNode core = json.readTree(o.value()).get("core");
                    out.add(new Snapshot(consumed, json.writeValueAsBytes(core).length));
                }
            }
        }
        assertThat(consumed).as("every record consumed").isEqualTo(events.size());
        return out;
    }

    private static List<Long> spacings(List<Snapshot> snapshots) {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < snapshots.size(); i++) {
            out.add(snapshots.get(i).consumedBefore() - snapshots.get(i - 1).consumedBefore());
        }
        return out;
    }
}

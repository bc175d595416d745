package io.failoverdrill.bench;

import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One guard engine in a fresh JVM: recovers (snapshot + journal after it, or the whole journal), then consumes until
 * its core has received {@code records} in total. Prints {@code recovery_ms=…} (from the runtime's start to
 * recovered, JVM start-up excluded) and {@code received=…}. Args: bootstrap prefix records guardId snapshotEveryRecords.
 */
public final class GuardRecoveryRun {
    public static void main(String[] args) throws Exception {
        TopicRun run = TopicRun.of(args);
        long snapshotEvery = Long.parseLong(args[4]);
        GuardCore core = new GuardCore(Plans.guard(run.drillId()));
        KafkaEventLog log = run.log(run.drillId(), new SimpleMeterRegistry());
        DrillRuntime runtime = new DrillRuntime(core, log, null).snapshotEvery(snapshotEvery, Duration.ofDays(1));
        long started = System.nanoTime();
        Disposable engine = runtime.run().subscribe();
        while (!runtime.recovered()) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        long recoveryMs = (System.nanoTime() - started) / 1_000_000;
        DrillRuntime.Recovered recovered = runtime.recoveredFrom();
        // until every record is consumed and committed: the next recovery starts there
        while (committed(run, KafkaEventLog.engineId(run.topics(), run.drillId())) < run.records()) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        engine.dispose();
        log.close();
        System.out.printf("recovery_ms=%d from_snapshot=%s journal_records=%d received=%d%n", recoveryMs,
                recovered.fromSnapshot(), recovered.records(), core.counts().received());
        System.exit(0);
    }

    /** The group's committed offsets on the telemetry topic, summed over its partitions. */
    static long committed(TopicRun run, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", run.bootstrap()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .entrySet().stream().filter(e -> e.getKey().topic().equals(run.topics().telemetry()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }
}

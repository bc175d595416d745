package io.failoverdrill.bench;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One engine run in a fresh JVM over a pre-filled telemetry topic: decode, core (a blackhole drill armed after its
 * pre-checks, so every second is evaluated), and one transaction per batch with journal and state records.
 * Prints {@code records_per_s=… max_heap_used_mb=…}. Args: bootstrap prefix records drillId [jitWarmupRecords].
 * With {@code jitWarmupRecords > 0} an engine for drill {@code <drillId>-jit} first reads that many records of the same
 * topic in this JVM and is closed, so that the measured engine runs compiled code (steady state) instead of paying
 * for the JIT compiler during the measurement.
 */
public final class EngineThroughputRun {
    public static void main(String[] args) throws Exception {
        TopicRun run = TopicRun.of(args);
        long jitWarmup = args.length > 4 ? Long.parseLong(args[4]) : 0;
        if (jitWarmup > 0) {
            runUntil(run, run.drillId() + "-jit", jitWarmup, new SimpleMeterRegistry(), core -> { });
            System.gc();
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<java.lang.management.MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null).toList();
        long[] started = {0};
        long[] maxHeap = {0};
        long[] maxLive = {0};
        DrillCore core = runUntil(run, run.drillId(), run.records(), meters, c -> {
            if (started[0] == 0 && c.counts().received() > 0) {
                started[0] = System.nanoTime();
            }
            maxHeap[0] = Math.max(maxHeap[0], memory.getHeapMemoryUsage().getUsed());
            maxLive[0] = Math.max(maxLive[0], heapPools.stream().mapToLong(pool -> pool.getCollectionUsage().getUsed()).sum());
        });
        double seconds = (System.nanoTime() - started[0]) / 1e9;
        io.micrometer.core.instrument.Timer commits = meters.find("drill.transaction.commit").timer();
        var percentiles = commits.takeSnapshot().percentileValues();
        System.out.printf("transactions=%d transaction_time_s=%.2f measured_s=%.2f%n", commits.count(),
                commits.totalTime(TimeUnit.SECONDS), seconds);
        System.out.printf("records_per_s=%.0f late=%d max_heap_used_mb=%.1f max_live_heap_after_gc_mb=%.1f commit_p99_ms=%.1f%n",
                run.records() / seconds, core.counts().late(), maxHeap[0] / 1048576.0, maxLive[0] / 1048576.0,
                percentiles.length > 1 ? percentiles[1].value() / 1e6 : Double.NaN);
        System.exit(0);
    }

    /** Runs an engine for {@code drillId} until its core has received {@code records}; {@code tick} every 20 ms. */
    private static DrillCore runUntil(TopicRun run, String drillId, long records, SimpleMeterRegistry meters,
                                      java.util.function.Consumer<DrillCore> tick) throws InterruptedException {
        DrillCore core = new DrillCore(Plans.armedBlackhole(drillId));
        KafkaEventLog log = run.log(drillId, meters);
        Disposable engine = new DrillRuntime(core, log, meters).run().subscribe();
        while (core.counts().received() < records) {
            tick.accept(core);
            TimeUnit.MILLISECONDS.sleep(20);
        }
        engine.dispose();
        log.close();
        return core;
    }

    private EngineThroughputRun() {
    }
}

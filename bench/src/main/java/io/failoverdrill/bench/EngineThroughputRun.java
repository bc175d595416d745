package io.failoverdrill.bench;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.Topics;
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
        String bootstrap = args[0];
        Topics topics = new Topics(args[1]);
        long records = Long.parseLong(args[2]);
        String drillId = args[3];
        long jitWarmup = args.length > 4 ? Long.parseLong(args[4]) : 0;
        if (jitWarmup > 0) {
            DrillCore warm = new DrillCore(Plans.armedBlackhole(drillId + "-jit"));
            KafkaEventLog warmLog = new KafkaEventLog(bootstrap, topics, drillId + "-jit");
            Disposable running = new DrillRuntime(warm, warmLog, new SimpleMeterRegistry()).run().subscribe();
            while (warm.counts().received() < jitWarmup) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            running.dispose();
            warmLog.close();
            System.gc();
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DrillCore core = new DrillCore(Plans.armedBlackhole(drillId));
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, drillId, new KafkaEventLog.Options(KafkaEventLog.Options.DEFAULT.maxPollRecords(), meters, (b, s) -> { }));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long maxHeap = 0;
        long maxLive = 0;
        List<java.lang.management.MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null).toList();
        long started = 0;
        Disposable engine = new DrillRuntime(core, log, meters).run().subscribe();
        while (core.counts().received() < records) {
            if (started == 0 && core.counts().received() > 0) {
                started = System.nanoTime();
            }
            maxHeap = Math.max(maxHeap, memory.getHeapMemoryUsage().getUsed());
            maxLive = Math.max(maxLive, heapPools.stream().mapToLong(pool -> pool.getCollectionUsage().getUsed()).sum());
            TimeUnit.MILLISECONDS.sleep(20);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        engine.dispose();
        log.close();
        io.micrometer.core.instrument.Timer commits = meters.find("drill.transaction.commit").timer();
        System.out.printf("transactions=%d transaction_time_s=%.2f measured_s=%.2f%n", commits.count(),
                commits.totalTime(TimeUnit.SECONDS), seconds);
        System.out.printf("records_per_s=%.0f late=%d max_heap_used_mb=%.1f max_live_heap_after_gc_mb=%.1f commit_p99_ms=%.1f%n",
                records / seconds, core.counts().late(), maxHeap / 1048576.0, maxLive / 1048576.0, meters.find("drill.transaction.commit").timer().takeSnapshot().percentileValues().length > 1
                        ? meters.find("drill.transaction.commit").timer().takeSnapshot().percentileValues()[1].value() / 1e6 : Double.NaN);
        System.exit(0);
    }

    private EngineThroughputRun() {
    }
}

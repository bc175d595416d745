package io.failoverdrill.bench;

import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.EventLogPort;
import io.failoverdrill.schemas.ContractViolation;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ceiling for the engine's throughput, in a fresh JVM: the engine's own Kafka adapter reads the pre-filled
 * telemetry topic batch by batch and commits each batch's offsets in a Kafka transaction, exactly as the engine does
 * — but nothing else: no event-time merge, no core, no journal or state record. With {@code decode} each record is
 * also decoded and validated by the engine's own decode step ({@link DrillRuntime#decode}). Whatever the engine does on top can only be slower.
 * Prints {@code records_per_s=… transactions=… transaction_time_s=… measured_s=…}.
 * Args: bootstrap prefix records drillId [decode].
 */
public final class AdapterCeilingRun {
    public static void main(String[] args) throws Exception {
        TopicRun run = TopicRun.of(args);
        boolean decode = args.length > 4 && args[4].equals("decode");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaEventLog log = run.log(run.drillId(), meters);
        log.recover(run.drillId());
        AtomicLong seen = new AtomicLong();
        AtomicLong started = new AtomicLong();
        AtomicLong invalid = new AtomicLong();
        log.<Long>process(batch -> {
            started.compareAndSet(0, System.nanoTime());
            if (decode) {
                for (Object decoded : DrillRuntime.decode(batch.records())) {
                    if (decoded instanceof ContractViolation) {
                        invalid.incrementAndGet();
                    }
                }
            }
            seen.addAndGet(batch.records().size());
            return Mono.just(new EventLogPort.BatchResult<>(List.of(), List.of(), batch.records()));
        }).subscribe();
        while (seen.get() < run.records()) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        double seconds = (System.nanoTime() - started.get()) / 1e9;
        Timer commits = meters.find("drill.transaction.commit").timer();
        System.out.printf("records_per_s=%.0f invalid=%d transactions=%d transaction_time_s=%.2f measured_s=%.2f%n",
                run.records() / seconds, invalid.get(), commits.count(), commits.totalTime(TimeUnit.SECONDS), seconds);
        System.exit(0);
    }

    private AdapterCeilingRun() {
    }
}

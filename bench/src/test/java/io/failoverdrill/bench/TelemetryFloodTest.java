package io.failoverdrill.bench;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.kafka.testkit.SharedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A telemetry flood through a real broker: 5,000,000 records of every signal type (≈ 1 GB of JSON) pre-filled, then
 * one engine in its own JVM with a 320 MB heap reads all of them — decode, event-time merge, core, a transaction per
 * batch. Memory stays bounded because the engine pulls a batch at a time (backpressure), never buffering ahead: it
 * finishes — an ever-growing buffer would run out of memory (≈ 1 GB of records against a 320 MB heap), and the engine
 * JVM exits on the first OutOfMemoryError — and counts nothing late. It runs with the engine's shipped collector
 * options ({@link EndToEndHarness#SHIPPED_GC_OPTIONS}: G1, half the heap young).
 */
class TelemetryFloodTest {
    static final int RECORDS = 5_000_000;
    static final int HEAP_MB = 320;

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES,
            threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void fiveMillionRecordsRunThroughTheEngineInABoundedHeap() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("flood.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        try {
            EndToEndHarness.fill(bootstrap, topics, RECORDS, 0); // drill "bench-w" is started on the control topic
            String run = EndToEndHarness.child(HEAP_MB, EngineThroughputRun.class.getName(), bootstrap, topics.prefix(),
                    Integer.toString(RECORDS), "bench-w");
            System.out.print("flood: " + run); // the figures, for the record
            assertThat(Long.parseLong(EndToEndHarness.value(run, "late"))).as(run).isZero();
            assertThat(Double.parseDouble(EndToEndHarness.value(run, "max_heap_used_mb"))).as(run).isLessThanOrEqualTo(HEAP_MB);
        } finally {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.deleteTopics(java.util.List.of(topics.telemetry())).all().get(); // ≈ 1 GB of log: give the disk back
            }
        }
    }
}

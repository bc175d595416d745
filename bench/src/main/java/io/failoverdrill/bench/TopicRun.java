package io.failoverdrill.bench;

import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What a throughput run in a child JVM reads: {@code records} records of the pre-filled topics under {@code topics},
 * as drill {@code drillId}. Parsed from the first four arguments: bootstrap prefix records drillId.
 */
record TopicRun(String bootstrap, Topics topics, long records, String drillId) {
    static TopicRun of(String[] args) {
        return new TopicRun(args[0], new Topics(args[1]), Long.parseLong(args[2]), args[3]);
    }

    /** The engine's Kafka adapter for {@code drill} on these topics, with the engine's default batch size. */
    KafkaEventLog log(String drill, MeterRegistry meters) {
        return new KafkaEventLog(bootstrap, topics, drill,
                new KafkaEventLog.Options(KafkaEventLog.Options.DEFAULT.maxPollRecords(), meters, (b, s) -> { }));
    }
}

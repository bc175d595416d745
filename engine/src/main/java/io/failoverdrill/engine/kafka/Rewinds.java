package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Partitions being read again after a seek back to {@code from}: reactor-kafka may already hold records polled before
 * the seek (offsets above {@code from}, below the position the consumer had then); they arrive first and are dropped.
 * The first record at {@code from} — or, should {@code from} no longer exist (retention), at or past the old position —
 * ends the rewind. {@link #expect} is called on the consumer's thread, {@link #filter} on the pipeline's.
 */
final class Rewinds {
    private record Rewind(long from, long positionBefore) {
    }

    private final Map<TopicPartition, Rewind> pending = new ConcurrentHashMap<>();

    void expect(TopicPartition tp, long from, long positionBefore) {
        pending.put(tp, new Rewind(from, Math.max(from + 1, positionBefore)));
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The records to hand over, in order: those of a rewound partition from the record at its offset on. */
    <R extends ConsumerRecord<?, ?>> List<R> filter(List<R> polled) {
        List<R> kept = new ArrayList<>(polled.size());
        TopicPartition tp = null;
        for (R r : polled) {
            if (tp == null || tp.partition() != r.partition() || !tp.topic().equals(r.topic())) { // a batch comes in runs
                tp = new TopicPartition(r.topic(), r.partition());
            }
            Rewind rewind = pending.get(tp);
            if (rewind != null) {
                if (r.offset() != rewind.from() && r.offset() < rewind.positionBefore()) {
                    continue; // polled before the seek
                }
                pending.remove(tp);
            }
            kept.add(r);
        }
        return kept;
    }
}

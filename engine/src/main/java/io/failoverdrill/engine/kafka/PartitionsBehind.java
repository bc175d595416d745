package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which input partitions the engine has not yet been <em>handed</em> to their end — what the event-time merge needs.
 * The consumer's lag alone is not enough: it is measured from the consumer's position, and reactor-kafka keeps one
 * polled batch queued ahead of demand, so the position may already include records the engine has not been given;
 * the partition would look caught up while its last records are still queued. So a partition counts as behind when
 * <ul>
 *   <li>its lag is unknown (no fetch answer yet: it may hold the oldest events of all) or above zero, or</li>
 *   <li>the consumer's position is past the records handed over <em>and</em> moved since the last reading — records
 *       polled but still queued (at most one batch). A gap that stays put across two readings is transaction
 *       markers (they take offsets but are never handed over), so it no longer counts.</li>
 * </ul>
 * {@link #handed} is called on the pipeline's thread, {@link #read} on the consumer's.
 */
final class PartitionsBehind {
    private final Map<TopicPartition, Long> handedNext = new ConcurrentHashMap<>();
    /** Consumer thread only: the position seen at the last reading, per partition. */
    private final Map<TopicPartition, Long> lastPosition = new HashMap<>();

    /** Records about to be handed to the engine. */
    void handed(List<? extends ConsumerRecord<?, ?>> records) {
        NextOffsets next = new NextOffsets();
        for (ConsumerRecord<?, ?> r : records) {
            next.add(r.topic(), r.partition(), r.offset());
        }
        next.forEach((tp, offset) -> handedNext.merge(tp, offset, Math::max));
    }

    /** A partition as the runtime names it: {@code topic/partition}. */
    static String key(TopicPartition tp) {
        return tp.topic() + "/" + tp.partition();
    }

    /** The partition is read again from {@code offset}: what was handed over from there on will come again. */
    void rewound(TopicPartition tp, long offset) {
        handedNext.put(tp, offset);
    }

    /** The partitions behind, as {@code topic/partition}. Call on the consumer's thread. */
    Set<String> read(Consumer<?, ?> consumer) {
        Set<String> out = new TreeSet<>();
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            boolean behind = lag.isEmpty() || lag.getAsLong() > 0;
            if (!behind) {
                // the lag is measured from the position, so it is known here: no remote call on the consumer thread
                long position = consumer.position(tp);
                Long previous = lastPosition.put(tp, position);
                Long handed = handedNext.get(tp);
                behind = handed != null && position > handed && (previous == null || previous != position);
            }
            if (behind) {
                out.add(key(tp));
            }
        }
        return out;
    }
}

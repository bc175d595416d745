package io.failoverdrill.engine.kafka;

import org.apache.kafka.common.TopicPartition;

import java.util.function.BiConsumer;

/**
 * For each partition seen, the offset after its highest record — without allocating per record (a batch touches
 * few partitions, merged by event time its records switch partition at almost every record).
 */
final class NextOffsets {
    private String[] topics = new String[4];
    private int[] partitions = new int[4];
    private long[] next = new long[4];
    private int size;

    /** A record at {@code offset} of {@code topic}/{@code partition}. */
    void add(String topic, int partition, long offset) {
        for (int i = 0; i < size; i++) {
            if (partitions[i] == partition && topics[i].equals(topic)) {
                next[i] = Math.max(next[i], offset + 1);
                return;
            }
        }
        if (size == topics.length) {
            topics = java.util.Arrays.copyOf(topics, size * 2);
            partitions = java.util.Arrays.copyOf(partitions, size * 2);
            next = java.util.Arrays.copyOf(next, size * 2);
        }
        topics[size] = topic;
        partitions[size] = partition;
        next[size++] = offset + 1;
    }

    /** Each partition seen with the offset after its highest record. */
    void forEach(BiConsumer<TopicPartition, Long> action) {
        for (int i = 0; i < size; i++) {
            action.accept(new TopicPartition(topics[i], partitions[i]), next[i]);
        }
    }
}

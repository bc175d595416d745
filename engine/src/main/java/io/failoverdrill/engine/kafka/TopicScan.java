package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Reads a topic from a time to its end as it is now, with a consumer of no group: the one way the engine and the
 * commands read the journal, the state and plans topics and snapshots back.
 */
final class TopicScan {
    private TopicScan() {
    }

    /**
     * Reads the partitions of {@code topic} that {@code partitions} accepts, each from its first record stamped at or
     * after {@code fromMs} (0: from its beginning) up to its end offset when the scan began, handing every record to
     * {@code stopAfter} until it returns true. The end is the high watermark, not the last stable offset: a
     * transaction still open then (another engine's, on a shared journal or state partition) is waited for, so that
     * what was committed after its first record is not missed.
     *
     * @param consumerConfig a byte-array consumer's configuration (read_committed)
     */
    static void scan(Map<String, Object> consumerConfig, String topic, IntPredicate partitions, long fromMs,
                     Predicate<ConsumerRecord<byte[], byte[]>> stopAfter) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(oneShot(consumerConfig))) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream().filter(i -> partitions.test(i.partition()))
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            Map<TopicPartition, Long> end = highWatermarks(consumerConfig, parts);
            offsetsAt(consumer, parts, fromMs).forEach(consumer::seek);
            readTo(consumer, parts, end, stopAfter);
        }
    }

    /**
     * Reads the given partitions of {@code topic}, each from its offset ({@code partition → offset}) up to its end
     * offset when the scan began (the high watermark, as in {@link #scan}), handing every record to {@code stopAfter}
     * until it returns true.
     */
    static void scanFrom(Map<String, Object> consumerConfig, String topic, Map<Integer, Long> from,
                         Predicate<ConsumerRecord<byte[], byte[]>> stopAfter) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(oneShot(consumerConfig))) {
            List<TopicPartition> parts = from.keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(parts);
            Map<TopicPartition, Long> end = highWatermarks(consumerConfig, parts);
            parts.forEach(tp -> consumer.seek(tp, from.get(tp.partition())));
            readTo(consumer, parts, end, stopAfter);
        }
    }

    /** Polls until every partition reached its {@code end} or {@code stopAfter} returned true. */
    private static void readTo(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts,
                               Map<TopicPartition, Long> end, Predicate<ConsumerRecord<byte[], byte[]>> stopAfter) {
        while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (stopAfter.test(r)) {
                    return;
                }
            }
        }
    }

    /**
     * The partitions' end offsets as a read_uncommitted reader sees them: a read_committed consumer's end offsets stop
     * at the first record of any transaction still open, which may come before records already committed.
     */
    static Map<TopicPartition, Long> highWatermarks(Map<String, Object> consumerConfig, List<TopicPartition> parts) {
        Map<String, Object> c = oneShot(consumerConfig);
        c.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            return consumer.endOffsets(parts);
        }
    }

    /**
     * Each partition's first offset stamped at or after {@code fromMs} (0: its beginning), or its end offset when
     * there is none.
     */
    static Map<TopicPartition, Long> offsetsAt(KafkaConsumer<?, ?> consumer, java.util.Collection<TopicPartition> parts, long fromMs) {
        Map<TopicPartition, Long> out = new HashMap<>(consumer.endOffsets(parts));
        Map<TopicPartition, Long> query = new HashMap<>();
        parts.forEach(tp -> query.put(tp, Math.max(0, fromMs)));
        consumer.offsetsForTimes(query).forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    /**
     * {@code consumerConfig} for a consumer that reads up to a known offset and is closed: the broker answers its
     * fetches after at most {@value #ONE_SHOT_FETCH_WAIT_MS} ms instead of {@code fetch.max.wait.ms}'s 500. Closing a
     * consumer ends its fetch session with one more fetch, which the broker would otherwise hold for those 500 ms when
     * there is nothing new — half a second per scan, three scans in every recovery.
     */
    static Map<String, Object> oneShot(Map<String, Object> consumerConfig) {
        Map<String, Object> c = new HashMap<>(consumerConfig);
        c.put(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, ONE_SHOT_FETCH_WAIT_MS);
        return c;
    }

    /** How long the broker may hold a one-shot reader's fetch. */
    static final int ONE_SHOT_FETCH_WAIT_MS = 20;

    /** The number of partitions of {@code topic}. */
    static int partitions(Map<String, Object> consumerConfig, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(oneShot(consumerConfig))) {
            return consumer.partitionsFor(topic).size();
        }
    }
}

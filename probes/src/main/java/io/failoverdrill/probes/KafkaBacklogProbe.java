package io.failoverdrill.probes;

import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A region's queue backlog measured on Kafka: length = the consumer group's total lag on the topic (end offset minus
 * committed offset, per partition; from the beginning where nothing is committed); oldest age = now minus the
 * timestamp of the oldest unconsumed record (read at the committed offset). Publishes {@code backlog} events.
 */
public final class KafkaBacklogProbe implements AutoCloseable {
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final String group;
    private final String topic;
    private final String region;
    private final String observer;
    private final ProbeClock clock = new ProbeClock();
    private long seq;

    public KafkaBacklogProbe(String bootstrapServers, String group, String topic, String region, String observer) {
        this(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), group, topic, region, observer);
    }

    /** @param client the Kafka client properties of the cluster holding the group (it may be another cluster) */
    public KafkaBacklogProbe(Map<String, Object> client, String group, String topic, String region, String observer) {
        this.admin = Admin.create(client);
        Map<String, Object> c = new HashMap<>(client);
        c.putAll(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1));
        this.reader = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.group = group;
        this.topic = topic;
        this.region = region;
        this.observer = observer;
    }

    /** One measurement of the group's backlog on the topic. */
    public Telemetry.Backlog measure() {
        try {
            List<TopicPartition> parts = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            parts.forEach(tp -> {
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            });
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start = admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
            long length = 0;
            long oldestTs = Long.MAX_VALUE;
            for (TopicPartition tp : parts) {
                OffsetAndMetadata c = committed.get(tp);
                long from = c == null ? start.get(tp).offset() : c.offset();
                long lag = Math.max(0, end.get(tp).offset() - from);
                length += lag;
                if (lag > 0) {
                    oldestTs = Math.min(oldestTs, timestampAt(tp, from));
                }
            }
            double age = oldestTs == Long.MAX_VALUE ? 0 : Math.max(0, clock.nowMs() - oldestTs);
            return new Telemetry.Backlog(group + "@" + topic, length, age);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the backlog of " + group, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot measure the backlog of group " + group + " on " + topic + ": " + e.getMessage(), e);
        }
    }

    private long timestampAt(TopicPartition tp, long offset) {
        reader.assign(List.of(tp));
        reader.seek(tp, offset);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100)).records(tp)) {
                return r.timestamp();
            }
        }
        return Long.MAX_VALUE;
    }

    /** Measures and publishes one {@code backlog} event. */
    public void publishTo(TelemetrySink sink) {
        Telemetry.Backlog b = measure();
        sink.publish(new TelemetryEvent(observer + "/" + region + "/backlog/" + clock.nowMs() + "-" + (++seq), region, observer,
                clock.nowMs(), null, b));
    }

    @Override
    public void close() {
        reader.close(Duration.ofSeconds(2));
        admin.close(Duration.ofSeconds(2));
    }
}

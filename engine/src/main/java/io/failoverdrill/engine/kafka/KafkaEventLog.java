package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.runtime.EventLogPort;
import io.failoverdrill.engine.runtime.InboundRecord;
import io.failoverdrill.engine.runtime.OutboundRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Flux;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import reactor.kafka.sender.SenderRecord;
import reactor.kafka.sender.TransactionManager;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Kafka adapter (the only engine code that imports Reactor Kafka / kafka-clients): consumes the input topics
 * with {@code read_committed} and {@code receiveExactlyOnce}, so each poll batch's outputs and its consumed offsets
 * commit in one Kafka transaction. The transactional id is derived from the drill id, so a second engine for the
 * same drill fences the first.
 */
public final class KafkaEventLog implements EventLogPort {
    private final Topics topics;
    private final KafkaSender<String, byte[]> sender;
    private final KafkaReceiver<byte[], byte[]> receiver;

    public KafkaEventLog(String bootstrapServers, Topics topics, String drillId) {
        this.topics = topics;
        String id = topics.prefix() + "engine." + drillId;
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        this.sender = KafkaSender.create(SenderOptions.<String, byte[]>create(p).stopOnError(true));

        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, id);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.receiver = KafkaReceiver.create(ReceiverOptions.<byte[], byte[]>create(c).subscription(topics.inputs()));
    }

    @Override
    public <T> Flux<T> process(Function<List<InboundRecord>, BatchResult<T>> handler) {
        TransactionManager tx = sender.transactionManager();
        // prefetch 0: the receiver begins the next batch's transaction only after this one has committed
        return receiver.receiveExactlyOnce(tx).concatMap(batch -> batch.collectList().flatMapMany(raw -> {
            List<InboundRecord> records = raw.stream()
                    .map(r -> new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()))
                    .toList();
            BatchResult<T> result = handler.apply(records);
            return sender.send(Flux.fromIterable(result.outputs()).map(this::toSenderRecord))
                    .then(tx.commit())
                    .thenMany(Flux.fromIterable(result.results()));
        }), 0);
    }

    private SenderRecord<String, byte[], Integer> toSenderRecord(OutboundRecord o) {
        ProducerRecord<String, byte[]> pr = new ProducerRecord<>(topics.of(o.destination()), o.key(), o.value());
        o.headers().forEach((k, v) -> pr.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        return SenderRecord.create(pr, 0);
    }

    /** Closes the producer (the receiver closes when its Flux is cancelled). */
    public void close() {
        sender.close();
    }
}

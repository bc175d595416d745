package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.InboundRecord;
import io.failoverdrill.schemas.ContractViolation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The dead letters of a {@code drill serve} group: every input record that breaks the contract goes to the DLQ once,
 * however many drills and guards read it (each would otherwise write its own copy). The instances of the group share
 * the input partitions in a consumer group of their own ({@code <serve group>.dlq}); each decodes its share by the
 * engines' rule ({@link DrillRuntime#decode}) and writes what fails, exactly as an engine would ({@link
 * DrillRuntime#deadLetter}), in a transaction with the group's offsets (fenced by the group's generation). A first
 * start reads from the end: what came before was the engines' to report.
 */
public final class GroupDeadLetters implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final Consumer<String> log;
    private final Thread thread;
    private volatile boolean running = true;

    /** The consumer group the instances of serve group {@code serveGroup} share the dead letters in. */
    public static String groupOf(String serveGroup) {
        return serveGroup + ".dlq";
    }

    /**
     * @param client     the user's Kafka client properties
     * @param serveGroup the serve instances' group
     * @param instance   this instance's id (its transactional id is {@code <prefix>engine.serve-dlq.<instance>})
     * @param log        one line once it reads its first share, and one if it stops on an error
     */
    public GroupDeadLetters(Map<String, Object> client, Topics topics, String serveGroup, String instance, Consumer<String> log) {
        this.topics = topics;
        this.log = log;
        Map<String, Object> c = new HashMap<>(KafkaEventLog.readCommitted(client));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupOf(serveGroup));
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumer = new KafkaConsumer<>(c);
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.prefix() + "engine.serve-dlq." + instance);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::loop, "serve-dead-letters");
        this.thread.setDaemon(true);
    }

    public GroupDeadLetters start() {
        thread.start();
        return this;
    }

    private void loop() {
        try {
            producer.initTransactions();
            consumer.subscribe(topics.inputs());
            boolean said = false;
            while (running) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
                if (!said && !consumer.assignment().isEmpty()) {
                    said = true;
                    log.accept("serve    bad input goes to " + topics.dlq() + " once per group (" + consumer.groupMetadata().groupId()
                            + "), not once per drill and guard");
                }
                if (polled.isEmpty()) {
                    continue;
                }
                List<InboundRecord> in = new ArrayList<>(polled.count());
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    in.add(new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
                }
                Object[] decoded = DrillRuntime.decode(in); // the engines' own step, by the same rule
                List<ProducerRecord<String, byte[]>> letters = new ArrayList<>();
                for (int i = 0; i < decoded.length; i++) {
                    if (decoded[i] instanceof ContractViolation v) {
                        letters.add(KafkaEventLog.producerRecord(topics, DrillRuntime.deadLetter(in.get(i), v), null));
                    }
                }
                if (letters.isEmpty()) {
                    consumer.commitSync(next); // in order with the transactions' commits: never an older offset after a newer
                    continue;
                }
                producer.beginTransaction();
                letters.forEach(producer::send);
                producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
                producer.commitTransaction();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                log.accept("serve    dead letters stopped (bad input now goes unreported until a restart): "
                        + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
            producer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

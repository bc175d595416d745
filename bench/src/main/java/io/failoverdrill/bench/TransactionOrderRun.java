package io.failoverdrill.bench;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.kafka.embedded.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Why a batch's transaction sends its offsets first (BENCHMARKS.md, "Transactions back to back"): back-to-back transactions of
 * one journal-sized and one state-sized record plus the offsets of one partition, each transaction started as soon as
 * the previous one committed, timed for four combinations of order (outputs first, as before; offsets first, as now)
 * and producer {@code retry.backoff.ms}. Prints the mean time per transaction of each. Args:
 * {@code [--bootstrap-servers B] [--transactions N]}; without a bootstrap it starts the in-JVM broker.
 */
public final class TransactionOrderRun {
    public static void main(String[] args) throws Exception {
        String bootstrap = EndToEndHarness.arg(args, "--bootstrap-servers", null);
        int transactions = Integer.parseInt(EndToEndHarness.arg(args, "--transactions", "200"));
        EmbeddedKafka embedded = bootstrap == null ? EmbeddedKafka.start() : null;
        try {
            String servers = embedded == null ? bootstrap : embedded.bootstrapServers();
            Topics topics = new Topics("txorder" + System.currentTimeMillis() + ".");
            TopicProvisioner.ensure(servers, topics, (short) 1);
            for (int backoffMs : new int[] {100, 2}) {
                for (boolean offsetsFirst : new boolean[] {false, true}) {
                    System.out.printf("%-14s retry.backoff.ms %3d: %.2f ms per transaction%n",
                            offsetsFirst ? "offsets first," : "outputs first,", backoffMs,
                            meanMs(servers, topics, offsetsFirst, backoffMs, transactions));
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        System.exit(0);
    }

    /** Mean ms per transaction over {@code n}, after {@code n / 10} not counted (connections, coordinator lookup). */
    private static double meanMs(String servers, Topics topics, boolean offsetsFirst, int backoffMs, int n)
            throws ExecutionException, InterruptedException {
        String id = "txorder-" + offsetsFirst + "-" + backoffMs;
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, backoffMs);
        ConsumerGroupMetadata group = new ConsumerGroupMetadata(id);
        TopicPartition input = new TopicPartition(topics.telemetry(), 0);
        int skipped = n / 10;
        long total = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            for (int i = 0; i < skipped + n; i++) {
                long started = System.nanoTime();
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(input, new OffsetAndMetadata(i));
                if (offsetsFirst) {
                    producer.sendOffsetsToTransaction(offsets, group);
                }
                var journal = producer.send(new ProducerRecord<>(topics.journal(), id, new byte[20_000]));
                var state = producer.send(new ProducerRecord<>(topics.state(), id, new byte[200]));
                journal.get();
                state.get();
                if (!offsetsFirst) {
                    producer.sendOffsetsToTransaction(offsets, group);
                }
                producer.commitTransaction();
                if (i >= skipped) {
                    total += System.nanoTime() - started;
                }
            }
        }
        return total / 1e6 / n;
    }

    private TransactionOrderRun() {
    }
}

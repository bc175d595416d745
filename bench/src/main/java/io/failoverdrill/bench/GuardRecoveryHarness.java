package io.failoverdrill.bench;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recovery time of a guard as it grows older (see BENCHMARKS.md): the telemetry topic is filled to each size in
 * turn; a guard engine (fresh JVM) consumes up to it, then a second fresh JVM of the same guard recovers and the
 * time to recovered is taken. With snapshots (every {@code --snapshot-every} records, the engine's default) and, up
 * to {@code --journal-only-max} records, without (the whole journal re-fed, as before snapshots). With {@code
 * --others N}, N journal entries of other drills and guards (which share the journal topic) are written just before
 * each guard runs, as a busy {@code drill serve} group would.
 * Args: {@code [--bootstrap-servers B] [--sizes 1000000,10000000] [--rate 1000] [--snapshot-every 100000]
 * [--journal-only-max 2000000] [--others 0]}.
 */
public final class GuardRecoveryHarness {
    public static void main(String[] args) throws Exception {
        List<Long> sizes = new ArrayList<>();
        for (String s : EndToEndHarness.arg(args, "--sizes", "1000000,10000000").split(",")) {
            sizes.add(Long.parseLong(s.trim()));
        }
        String every = EndToEndHarness.arg(args, "--snapshot-every", "100000");
        long journalOnlyMax = Long.parseLong(EndToEndHarness.arg(args, "--journal-only-max", "2000000"));
        long others = Long.parseLong(EndToEndHarness.arg(args, "--others", "0"));
        Broker broker = Broker.of(args);
        String bootstrap = broker.bootstrap();
        try {
            Topics topics = new Topics("recovery.");
            TopicProvisioner.ensure(bootstrap, topics, (short) 1);
            // a guard's own traffic: --rate requests per event-second (1,000 guards at 100,000 events/s is 100 each)
            SyntheticWorld world = BenchTraffic.world(1, Integer.parseInt(EndToEndHarness.arg(args, "--rate", "1000")));
            long filled = 0;
            for (long size : sizes) {
                long t0 = System.nanoTime();
                fill(bootstrap, topics, world, size - filled);
                filled = size;
                System.out.printf("filled %s to %d records in %.1f s%n", topics.telemetry(), size, (System.nanoTime() - t0) / 1e9);
                others(bootstrap, topics, others);
                measure(bootstrap, topics, size, "guard-snapshots", every);
                if (size <= journalOnlyMax) {
                    others(bootstrap, topics, others);
                    measure(bootstrap, topics, size, "guard-journal-only", Long.toString(Long.MAX_VALUE));
                }
            }
        } finally {
            broker.close();
        }
        System.exit(0);
    }

    /** Consumes to {@code size} in one JVM, then recovers in another and prints the time. */
    private static void measure(String bootstrap, Topics topics, long size, String guard, String every) throws Exception {
        String[] run = {bootstrap, topics.prefix(), Long.toString(size), guard, every};
        EndToEndHarness.child(GuardRecoveryRun.class.getName(), run);
        String out = EndToEndHarness.child(GuardRecoveryRun.class.getName(), run);
        System.out.printf("%s after %d consumed: %s", guard, size, out);
    }

    /** {@code n} journal entries of 1,000 other engines, each about as big as a live batch's. */
    private static void others(String bootstrap, Topics topics, long n) {
        if (n == 0) {
            return;
        }
        long t0 = System.nanoTime();
        byte[] entry = ("{\"batch\":1,\"drill_id\":\"other\",\"order\":\"a3bab2cba\",\"parts\":["
                + "[\"recovery.telemetry\",0,[[1000,4]]],[\"recovery.telemetry\",1,[[2000,3]]],"
                + "[\"recovery.telemetry\",2,[[3000,2]]]]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 131072), new StringSerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < n; i++) {
                p.send(new ProducerRecord<>(topics.journal(), "other-" + (i % 1000), entry));
            }
            p.flush();
        }
        System.out.printf("wrote %d journal entries of other engines in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }

    private static void fill(String bootstrap, Topics topics, SyntheticWorld world, long records) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 131072), new StringSerializer(),
                new ByteArraySerializer())) {
            long sent = 0;
            while (sent < records) {
                for (InputEvent e : world.nextEvents((int) Math.min(100_000, records - sent))) {
                    p.send(new ProducerRecord<>(topics.telemetry(), ((TelemetryEvent) e).region(), Codec.encode(e)));
                    sent++;
                }
            }
            p.flush();
        }
    }
}

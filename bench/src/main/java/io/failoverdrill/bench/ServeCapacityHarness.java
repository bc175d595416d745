package io.failoverdrill.bench;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many guards one {@code drill serve} instance holds, and at what telemetry rate (see BENCHMARKS.md): one serve
 * JVM hosts {@code --guards} guards (each watching its own two regions, as in {@link ServeTakeoverHarness}); live
 * telemetry stamped with the wall clock arrives at {@code --events-per-s} in total, spread evenly over the guards'
 * regions; each guard's first region turns slow for 10 s of every 20 (staggered), so every guard keeps clamping,
 * tightening and releasing. Decision latency is taken as in {@link EndToEndHarness}: from the send of the first
 * burst stamped at or after a decision's ts plus the allowed lateness (2 s) to the decision being visible on the
 * decisions topic (read_committed). The heap is read after a full collection while the traffic runs.
 * Args: {@code [--bootstrap-servers B] [--guards 100] [--events-per-s 10000] [--seconds 60] [--heap-mb 2048]
 * [--max-poll-records 20000] [--cli cli/target]}.
 */
public final class ServeCapacityHarness {
    private static final String PREFIX = "capacity.";
    /** Decisions triggered before this much traffic are not counted as steady (JIT, the guards' first windows). */
    private static final long WARM_MS = 25_000;

    public static void main(String[] args) throws Exception {
        int guards = Integer.parseInt(EndToEndHarness.arg(args, "--guards", "100"));
        int rate = Integer.parseInt(EndToEndHarness.arg(args, "--events-per-s", "10000"));
        int seconds = Integer.parseInt(EndToEndHarness.arg(args, "--seconds", "60"));
        int heapMb = Integer.parseInt(EndToEndHarness.arg(args, "--heap-mb", "2048"));
        String maxPollRecords = EndToEndHarness.arg(args, "--max-poll-records", "20000");
        Path cli = Path.of(EndToEndHarness.arg(args, "--cli", "cli/target"));
        Broker broker = Broker.of(args);
        String bootstrap = broker.bootstrap();
        Path logs = Files.createTempDirectory("serve-capacity");
        Process serve = null;
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = null;
        try {
            Topics topics = new Topics(PREFIX);
            TopicProvisioner.ensure(bootstrap, topics, (short) 1);
            serve = ServeTakeoverHarness.serve(cli, bootstrap, PREFIX, heapMb, "s1", "10", logs.resolve("s1.log"),
                    "--max-poll-records", maxPollRecords);
            Process s = serve;
            ServeTakeoverHarness.await(() -> s.isAlive() && Files.readString(logs.resolve("s1.log"))
                    .contains("serve    took plans partition(s)"), 120, "the instance has the plans");
            long t0 = System.nanoTime();
            ServeTakeoverHarness.submit(bootstrap, topics, guards);
            ServeTakeoverHarness.await(() -> ServeTakeoverHarness.hosting(logs).size() == guards, 600, "every guard hosted");
            System.out.printf("%d guards hosted in %.1f s%n", guards, (System.nanoTime() - t0) / 1e9);

            Map<String, EndToEndHarness.Seen> visible = new ConcurrentHashMap<>(); // by guard and seq
            String watchBootstrap = bootstrap;
            watcher = new Thread(() -> watch(watchBootstrap, topics, running, visible), "watcher");
            watcher.start();
            ConcurrentSkipListMap<Long, Long> burstSentNanos = new ConcurrentSkipListMap<>();
            long[] heapKb = {-1};
            Thread heap = new Thread(() -> { // half way through, beside the feeder
                try {
                    TimeUnit.SECONDS.sleep(seconds / 2);
                    heapKb[0] = ServeTakeoverHarness.heapAfterGc(s.pid());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "heap");
            heap.start();
            long sent = feed(bootstrap, topics, guards, rate, seconds, burstSentNanos);
            heap.join();
            TimeUnit.SECONDS.sleep(5);
            running.set(false);
            watcher.join();

            long warmFrom = burstSentNanos.firstKey() + WARM_MS;
            List<Double> steady = new ArrayList<>();
            visible.values().forEach(seen -> {
                Map.Entry<Long, Long> trigger = burstSentNanos.ceilingEntry(seen.tsMs() + 2000);
                if (trigger != null && trigger.getKey() >= warmFrom && seen.visibleNanos() >= trigger.getValue()) {
                    steady.add((seen.visibleNanos() - trigger.getValue()) / 1e6);
                }
            });
            steady.sort(Double::compare);
            System.out.printf("%d guards on one instance (--max-poll-records %s), %d telemetry events in %d s (%.0f events/s);"
                    + " heap after a full GC %d MB (-Xmx%dm)%n", guards, maxPollRecords, sent, seconds, sent / (double) seconds,
                    heapKb[0] / 1024, heapMb);
            System.out.printf("decision latency over the %d decisions after the first %d s: p50 %.1f ms, p99 %.1f ms, max"
                            + " %.1f ms (%d decisions in all)%n", steady.size(), WARM_MS / 1000, EndToEndHarness.pct(steady, 0.5),
                    EndToEndHarness.pct(steady, 0.99), EndToEndHarness.max(steady), visible.size());
        } finally {
            running.set(false);
            if (serve != null) {
                long term = System.nanoTime();
                serve.destroy();
                if (serve.waitFor(20, TimeUnit.SECONDS)) {
                    System.out.printf("serve exited %.1f s after SIGTERM%n", (System.nanoTime() - term) / 1e9);
                } else {
                    System.out.println("serve had not exited 20 s after SIGTERM: killed");
                    serve.destroyForcibly().waitFor(); // an overloaded instance may not finish its shutdown
                }
            }
            broker.close();
        }
        System.exit(0);
    }

    /**
     * Every 100 ms, per guard, both regions from two observers: {@code rate / 10} events per tick in all. Guard j's
     * us-east answers in ≈ 400 ms for 10 s of every 20 (from the WARM_MS on, shifted by j seconds), else ≈ 90 ms.
     * Returns the events sent.
     */
    private static long feed(String bootstrap, Topics topics, int guards, int rate, int seconds,
                             ConcurrentSkipListMap<Long, Long> burstSentNanos) throws Exception {
        int perStream = Math.max(1, Math.round(rate / (40f * guards)));
        double perTick = rate / 10.0;
        SplittableRandom jitter = new SplittableRandom(7);
        long n = 0;
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 65536), new StringSerializer(),
                new ByteArraySerializer())) {
            long start = System.currentTimeMillis();
            double owed = 0;
            int j = 0; // the next guard to send for: a tick may not reach them all
            for (long ts = start; ts < start + seconds * 1000L; ts += 100) {
                long wait = ts - System.currentTimeMillis();
                if (wait > 0) {
                    TimeUnit.MILLISECONDS.sleep(wait); // pacing the live source
                }
                owed += perTick;
                for (; owed >= 1; j = (j + 1) % guards) {
                    boolean slow = ts - start >= WARM_MS - 5_000 && ((ts - start) / 1000 + j) % 20 < 10;
                    int count = (int) Math.min(4L * perStream, (long) owed);
                    for (int k = 0; k < count; k++) {
                        p.send(event(topics, j, k / perStream, slow, ts, ++n, jitter));
                    }
                    owed -= count;
                }
                p.flush();
                burstSentNanos.put(ts, System.nanoTime());
            }
        }
        return n;
    }

    /**
     * Guard {@code j}'s event number {@code n} on stream {@code stream}: 0 and 1 are probe-a on us-east and eu-west, 2
     * and 3 probe-b; a slow us-east answers in ≈ 400 ms, everything else in ≈ 90 ms.
     */
    private static ProducerRecord<String, byte[]> event(Topics topics, int j, int stream, boolean slow, long ts, long n,
                                                        SplittableRandom jitter) {
        String obs = stream < 2 ? "probe-a" : "probe-b";
        String region = (stream % 2 == 0 ? "us-east-" : "eu-west-") + j;
        double ms = stream % 2 == 0 && slow ? 400 : 90;
        TelemetryEvent e = new TelemetryEvent(obs + "/" + region + "/" + n, region, obs, ts, null,
                new Telemetry.Request(ms * (0.9 + 0.2 * jitter.nextDouble()), 200, null, null, false, "/api"));
        return new ProducerRecord<>(topics.telemetry(), region, Codec.encode(e));
    }

    private static void watch(String bootstrap, Topics topics, AtomicBoolean running, Map<String, EndToEndHarness.Seen> visible) {
        try (KafkaConsumer<String, byte[]> c = EndToEndHarness.consumer(bootstrap, "capacity-watch")) {
            c.subscribe(List.of(topics.decisions()));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(5))) {
                    long now = System.nanoTime();
                    Decision d = Codec.decodeDecision(r.value());
                    visible.putIfAbsent(r.key() + "#" + d.seq(), new EndToEndHarness.Seen(d.type(), d.tsMs(), now));
                }
            }
        }
    }
}

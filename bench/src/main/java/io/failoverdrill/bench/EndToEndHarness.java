package io.failoverdrill.bench;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * End-to-end measurements against a real broker (see BENCHMARKS.md):
 * (a) engine throughput on a pre-filled telemetry topic ÷ Kafka's own ConsumerPerformance on the same topic, each
 * in a fresh JVM after a warm-up run; (b) decision latency from the send of the event that moves the watermark past
 * the deciding second to the decision being visible to a read_committed consumer; (c) the engine's heap during the
 * flood. The engines run in JVMs of their own, with the collector options the engine ships with. Args: {@code [--bootstrap-servers B] [--records N] [--runs R] [--latency-s S] [--jit-warmup-records N] [--engine-jvm-options "OPTS"] [--key region|region-observer] [--telemetry-paths BYTES,STREAMING,TREE]}: with more than one path (see
 * {@code Codec.TelemetryPath}) every run measures the engine once per path, against the same ConsumerPerformance figure.
 */
public final class EndToEndHarness {
    public static void main(String[] args) throws Exception {
        long records = Long.parseLong(arg(args, "--records", "5000000"));
        int runs = Integer.parseInt(arg(args, "--runs", "3"));
        int latencyS = Integer.parseInt(arg(args, "--latency-s", "90"));
        engineJvmOptions = arg(args, "--engine-jvm-options", "");
        jitWarmupRecords = Long.parseLong(arg(args, "--jit-warmup-records", "1000000"));
        telemetryPaths = List.of(arg(args, "--telemetry-paths", "BYTES").split(","));
        keyByObserver = switch (arg(args, "--key", "region")) {
            case "region" -> false;
            case "region-observer" -> true;
            default -> throw new IllegalArgumentException("--key: region or region-observer");
        };
        Broker broker = Broker.of(args);
        String bootstrap = broker.bootstrap();
        try {
            throughput(bootstrap, records, runs);
            if (latencyS > 0) {
                latency(bootstrap, latencyS);
            }
        } finally {
            broker.close();
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- (a) and (c)

    static void throughput(String bootstrap, long records, int runs) throws Exception {
        Topics topics = new Topics("bench" + System.currentTimeMillis() + ".");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        long t0 = System.nanoTime();
        fill(bootstrap, topics, records, runs);
        System.out.printf("filled %s with %d telemetry records in %.1f s%n", topics.telemetry(), records, (System.nanoTime() - t0) / 1e9);
        List<Double> kafka = new ArrayList<>();
        List<Double> engine = new ArrayList<>();
        child("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap, "--topic", topics.telemetry(),
                "--messages", Long.toString(records), "--group", "warmup-cp", "--hide-header");
        child(EngineThroughputRun.class.getName(), bootstrap, topics.prefix(), Long.toString(records), "bench-w");
        for (int i = 1; i <= runs; i++) {
            String cp = child("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap,
                    "--topic", topics.telemetry(), "--messages", Long.toString(records), "--group", "cp-" + i, "--hide-header");
            double cpRate = Double.parseDouble(cp.trim().split("\n")[cp.trim().split("\n").length - 1].split(",")[5].trim());
            for (String path : telemetryPaths) {
                telemetryPath = path;
                String run = child(EngineThroughputRun.class.getName(), bootstrap, topics.prefix(), Long.toString(records),
                        engineDrill(i, path), Long.toString(Math.min(jitWarmupRecords, records)));
                double engineRate = Double.parseDouble(value(run, "records_per_s"));
                if (path.equals(telemetryPaths.get(0))) {
                    kafka.add(cpRate);
                    engine.add(engineRate);
                }
                System.out.printf("run %d: ConsumerPerformance %.0f rec/s, engine (%s) %.0f rec/s, ratio %.2f; engine heap: max used %s MB,"
                                + " max live after GC %s MB (-Xmx512m); late %s; commit p99 %s ms%n",
                        i, cpRate, path, engineRate, engineRate / cpRate, value(run, "max_heap_used_mb"),
                        value(run, "max_live_heap_after_gc_mb"), value(run, "late"), value(run, "commit_p99_ms"));
                System.out.printf("       %d transactions took %s s of the engine's %s s%n", Long.parseLong(value(run, "transactions")),
                        value(run, "transaction_time_s"), value(run, "measured_s"));
            }
            telemetryPath = telemetryPaths.get(0);
            String bare = child(AdapterCeilingRun.class.getName(), bootstrap, topics.prefix(), Long.toString(records), "adapter-" + i);
            String decoding = child(AdapterCeilingRun.class.getName(), bootstrap, topics.prefix(), Long.toString(records),
                    "adapter-decode-" + i, "decode");
            System.out.printf("       ceilings (cold JVMs, no merge, core, journal or state): the adapter alone %s rec/s (ratio %.2f,"
                            + " %s transactions took %s s of %s s); the adapter + decoding %s rec/s (ratio %.2f, %s s of %s s)%n",
                    value(bare, "records_per_s"), Double.parseDouble(value(bare, "records_per_s")) / cpRate,
                    value(bare, "transactions"), value(bare, "transaction_time_s"), value(bare, "measured_s"),
                    value(decoding, "records_per_s"), Double.parseDouble(value(decoding, "records_per_s")) / cpRate,
                    value(decoding, "transaction_time_s"), value(decoding, "measured_s"));
        }
        double ratio = engine.stream().mapToDouble(Double::doubleValue).sum() / kafka.stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf("(a) throughput ratio engine / ConsumerPerformance over %d runs: %.2f%n", runs, ratio);
    }

    static void fill(String bootstrap, Topics topics, long records, int runs) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 131072,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"), new StringSerializer(), new ByteArraySerializer())) {
            for (String drill : drills(runs)) {
                p.send(new ProducerRecord<>(topics.control(), drill, Codec.encode(
                        new ControlEvent("start-" + drill, BenchTraffic.T0, drill, "start", null))));
            }
            int chunk = 100_000;
            long sent = 0;
            var world = BenchTraffic.world(1, 20_000);
            while (sent < records) {
                List<InputEvent> events = world.nextEvents((int) Math.min(chunk, records - sent));
                for (InputEvent e : events) {
                    TelemetryEvent t = (TelemetryEvent) e;
                    String key = keyByObserver ? t.region() + "/" + t.observer() : t.region();
                    p.send(new ProducerRecord<>(topics.telemetry(), key, Codec.encode(t)));
                }
                sent += events.size();
            }
            p.flush();
        }
    }

    static List<String> drills(int runs) {
        List<String> d = new ArrayList<>(List.of("bench-w"));
        for (int i = 1; i <= runs; i++) {
            for (String path : telemetryPaths) {
                d.add(engineDrill(i, path));
                d.add(engineDrill(i, path) + "-jit");
            }
        }
        return d;
    }

    /** The drill the engine of run {@code i} decoding the {@code path} way runs (its own group and transactional id). */
    static String engineDrill(int i, String path) {
        return path.equals(telemetryPaths.get(0)) ? "bench-" + i : "bench-" + i + "-" + path.toLowerCase(java.util.Locale.ROOT);
    }

    // ---------------------------------------------------------------- (b)

    /**
     * Live: 2 regions × 3 observers every 100 ms stamped with the wall clock; eu-west's latency alternates between
     * 40 and 300 ms every 3 s (SLO 100 ms, dwell 1 s) so that the engine keeps clamping and releasing; an actuator acks
     * every command at once. For each decision, the trigger is the first burst stamped at or after decision ts +
     * allowed lateness (the burst whose last event moves the watermark past the deciding second).
     */
    static void latency(String bootstrap, int seconds) throws Exception {
        Topics topics = new Topics("lat" + System.currentTimeMillis() + ".");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        String drill = "latency";
        var plan = Plans.latency(drill, seconds);
        ConcurrentSkipListMap<Long, Long> burstSentNanos = new ConcurrentSkipListMap<>();
        Map<Long, Seen> visible = new ConcurrentHashMap<>(); // by seq
        AtomicBoolean running = new AtomicBoolean(true);
        Process engine = start(512, LatencyEngineRun.class.getName(), bootstrap, topics.prefix(), drill, Integer.toString(seconds));
        BufferedReader engineOut = new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8));
        if (!"started".equals(engineOut.readLine())) {
            throw new IllegalStateException("the latency engine did not start");
        }
        Thread actuator = new Thread(() -> actuate(bootstrap, topics, running), "actuator");
        Thread watcher = new Thread(() -> watch(bootstrap, topics, running, visible), "watcher");
        actuator.start();
        watcher.start();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer())) {
            long start = System.currentTimeMillis();
            p.send(new ProducerRecord<>(topics.control(), drill, Codec.encode(new ControlEvent("start", start, drill, "start", null))));
            SplittableRandom r = new SplittableRandom(1);
            long n = 0;
            for (long ts = start; ts < start + seconds * 1000L; ts += 100) {
                long wait = ts - System.currentTimeMillis();
                if (wait > 0) {
                    TimeUnit.MILLISECONDS.sleep(wait); // pacing the live source
                }
                boolean slow = ((ts - start) / 3000) % 2 == 1 && ts - start > 8000;
                for (String region : BenchTraffic.REGIONS) {
                    for (String obs : BenchTraffic.OBSERVERS) {
                        double latency = (region.equals("eu-west") && slow ? 300 : 40) * Math.exp(0.1 * r.nextGaussian());
                        Telemetry payload = (n % 10 == 0) ? new Telemetry.Health(true)
                                : new Telemetry.Request(latency, 200, null, null, false, "/api");
                        p.send(new ProducerRecord<>(topics.telemetry(), region, Codec.encode(
                                new TelemetryEvent("l-" + (n++), region, obs, ts, null, payload))));
                    }
                }
                burstSentNanos.put(ts, System.nanoTime());
            }
        } finally {
            TimeUnit.SECONDS.sleep(5);
            running.set(false);
            engine.destroy();
            engine.waitFor();
            actuator.join();
            watcher.join();
        }
        record Timed(double ms, long seq, String type, boolean steady) {
        }
        List<Timed> timed = new ArrayList<>();
        long lateness = plan.allowedLatenessMs();
        long warmFrom = burstSentNanos.isEmpty() ? Long.MAX_VALUE : burstSentNanos.firstKey() + STARTUP_MS;
        visible.forEach((seq, seen) -> {
            Map.Entry<Long, Long> trigger = burstSentNanos.ceilingEntry(seen.tsMs() + lateness);
            if (trigger != null && seen.visibleNanos() >= trigger.getValue()) {
                timed.add(new Timed((seen.visibleNanos() - trigger.getValue()) / 1e6, seq, seen.type(), trigger.getKey() >= warmFrom));
            }
        });
        timed.sort(java.util.Comparator.comparingDouble(Timed::ms).thenComparingLong(Timed::seq));
        List<Double> ms = timed.stream().map(Timed::ms).toList();
        List<Double> steady = timed.stream().filter(Timed::steady).map(Timed::ms).toList();
        List<String> slowest = new ArrayList<>();
        for (int k = timed.size() - 1; k >= Math.max(0, timed.size() - 5); k--) {
            Timed t = timed.get(k);
            slowest.add(String.format("%.1f ms (seq %d, %s)", t.ms(), t.seq(), t.type()));
        }
        System.out.printf("(b) decision latency over %d decisions: p50 %.1f ms, p99 %.1f ms, max %.1f ms; the %d decided"
                        + " after the first %d s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (on top by design: allowed lateness"
                        + " %d ms, dwell %d s); slowest: %s%n", ms.size(), pct(ms, 0.50), pct(ms, 0.99), max(ms), steady.size(),
                STARTUP_MS / 1000, pct(steady, 0.50), pct(steady, 0.99), max(steady), lateness, plan.routing().hysteresisS(),
                String.join(", ", slowest));
    }

    /** Decisions triggered in the first seconds of the live run come from an engine JVM that is still compiling. */
    static final long STARTUP_MS = 10_000;

    static double max(List<Double> sorted) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
    }

    /** A decision as the watcher saw it: its type and event time, and when it became visible (nanoTime). */
    record Seen(String type, long tsMs, long visibleNanos) {
    }

    static double pct(List<Double> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    static void actuate(String bootstrap, Topics topics, AtomicBoolean running) {
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap, "acts");
             KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer())) {
            c.subscribe(List.of(topics.cutoverCommands(), topics.clampCommands()));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(20))) {
                    if (Codec.decodeDecision(r.value()) instanceof Command cmd) {
                        p.send(new ProducerRecord<>(topics.acks(), "eu-west", Codec.encode(new AckEvent("ack-" + cmd.commandId(),
                                System.currentTimeMillis(), "eu-west", "bench-actuator", cmd.commandId(), "applied", null))));
                    }
                }
            }
        }
    }

    static void watch(String bootstrap, Topics topics, AtomicBoolean running, Map<Long, Seen> visible) {
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap, "watch")) {
            c.subscribe(List.of(topics.decisions()));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(5))) {
                    long now = System.nanoTime();
                    Decision d = Codec.decodeDecision(r.value());
                    visible.putIfAbsent(d.seq(), new Seen(d.type(), d.tsMs(), now));
                }
            }
        }
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrap, String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    // ---------------------------------------------------------------- helpers

    /** Records an engine JVM reads with a throw-away engine before the measured one starts (0: measure cold). */
    static long jitWarmupRecords = 1_000_000;

    /** Extra JVM options for the engine's JVMs only (a profiler, say), split at white space. */
    static String engineJvmOptions = "";
    /** The telemetry decoding paths to measure the engine with, and the one the next engine JVM uses. */
    static List<String> telemetryPaths = List.of("BYTES");
    static String telemetryPath = "BYTES";

    /**
     * {@code --key region-observer}: telemetry keyed by region and observer instead of by region (the contract), so
     * that more partitions carry it, at unequal rates where two keys share one: the event-time merge then has to let
     * records go and read them again (README, "Catching up on pre-filled topics").
     */
    static boolean keyByObserver;


    /**
     * The collector options the engine ships with (the {@code drill} script and the image): G1 with a fixed young
     * generation of half the heap ({@code -Xms} = {@code -Xmx}) and survivor spaces of a sixth of it, so that the
     * batches in flight die young instead of being promoted and marked (fifth session; git log).
     */
    static final List<String> SHIPPED_GC_OPTIONS = List.of("-XX:+UseG1GC", "-XX:NewRatio=1", "-XX:SurvivorRatio=4");

    /**
     * Runs {@code main} in a fresh JVM (-Xmx512m) on this classpath; returns its standard output. Engine JVMs run with
     * the {@link #SHIPPED_GC_OPTIONS} unless {@code --engine-jvm-options} picks a collector (say
     * {@code -XX:+UseParallelGC}); the others with G1, which Kafka's scripts use.
     */
    static String child(String main, String... args) throws Exception {
        return child(512, main, args);
    }

    /** {@link #child(String, String...)} with a heap of {@code heapMb} MB. */
    static String child(int heapMb, String main, String... args) throws Exception {
        Process p = start(heapMb, main, args);
        StringBuilder out = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            in.lines().forEach(l -> out.append(l).append('\n'));
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException(main + " failed: " + out);
        }
        return out.toString();
    }

    /** Starts {@code main} in a fresh JVM as {@link #child(int, String, String...)} describes; its standard error is dropped. */
    static Process start(int heapMb, String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heapMb + "m"));
        boolean engine = java.util.Set.of(EngineThroughputRun.class.getName(), AdapterCeilingRun.class.getName(),
                LatencyEngineRun.class.getName(), GuardRecoveryRun.class.getName()).contains(main);
        if (engine) {
            cmd.add("-XX:+ExitOnOutOfMemoryError");
            cmd.add("-Dfailoverdrill.telemetry.path=" + telemetryPath);
            if (!engineJvmOptions.matches(".*-XX:\\+Use\\w+GC.*")) {
                cmd.add("-Xms" + heapMb + "m");
                cmd.addAll(SHIPPED_GC_OPTIONS);
            }
            if (!engineJvmOptions.isBlank()) {
                cmd.addAll(List.of(engineJvmOptions.trim().split("\\s+")));
            }
        } else {
            cmd.add("-XX:+UseG1GC"); // explicit, since a small machine's JVM would default to Serial
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    static String value(String output, String key) {
        for (String token : output.split("\\s+")) {
            if (token.startsWith(key + "=")) {
                return token.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("no " + key + " in: " + output);
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private EndToEndHarness() {
    }
}

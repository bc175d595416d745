package io.failoverdrill.bench;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Takeover time of {@code drill serve} (see BENCHMARKS.md): three serve instances (separate JVMs) share {@code
 * --guards} guards, each watching its own two regions, fed live telemetry (wall-clock event time, 10 requests per
 * second per observer and region, two observers). At the kill, every guard of one instance sees its first region
 * turn slow; the instance is killed with SIGKILL; for each of its guards the time from the kill to its first clamp
 * command committed on the clamp topic is taken — session timeout, rebalance, recovery and the clamp's own
 * hysteresis (2 s) included. Run from the repository root after {@code mvn -B install -DskipTests}.
 * Args: {@code [--bootstrap-servers B] [--guards 30] [--session-timeout-s 10] [--warm-s 15] [--snapshot-every-s S]
 * [--cli cli/target]}: {@code --warm-s}, how long the guards run live before the kill (the longer, the more journal a
 * moved guard re-feeds since its last snapshot); {@code --snapshot-every-s}, serve's option of that name (default:
 * serve's own).
 */
public final class ServeTakeoverHarness {
    static final String PREFIX = "takeover.";

    public static void main(String[] args) throws Exception {
        int guards = Integer.parseInt(EndToEndHarness.arg(args, "--guards", "30"));
        String sessionTimeout = EndToEndHarness.arg(args, "--session-timeout-s", "10");
        Path cli = Path.of(EndToEndHarness.arg(args, "--cli", "cli/target"));
        long warmS = Long.parseLong(EndToEndHarness.arg(args, "--warm-s", "15"));
        String snapshotEvery = EndToEndHarness.arg(args, "--snapshot-every-s", null);
        String[] serveOptions = snapshotEvery == null ? new String[0] : new String[] {"--snapshot-every-s", snapshotEvery};
        Broker broker = Broker.of(args);
        String bootstrap = broker.bootstrap();
        Path logs = Files.createTempDirectory("serve-takeover");
        List<Process> serves = new ArrayList<>();
        Set<Integer> slow = ConcurrentHashMap.newKeySet();
        Thread feeder = null;
        try {
            Topics topics = new Topics(PREFIX);
            TopicProvisioner.ensure(bootstrap, topics, (short) 1);
            for (int k = 1; k <= 3; k++) {
                serves.add(serve(cli, bootstrap, PREFIX, 512, "s" + k, sessionTimeout, logs.resolve("s" + k + ".log"), serveOptions));
            }
            await(() -> took(logs) == 3, 120, "every instance has its share of the plans");
            submit(bootstrap, topics, guards);
            await(() -> hosting(logs).size() == guards, 120, "every guard hosted");
            String feedBootstrap = bootstrap;
            feeder = new Thread(() -> feed(feedBootstrap, topics, guards, slow), "feeder");
            feeder.setDaemon(true);
            feeder.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmS)); // every guard has a baseline and is live
            System.out.printf("state topic after %d s live: %.1f MB (snapshots and drill states)%n", warmS,
                    topicBytes(bootstrap, topics.state()) / 1e6);
            Map<String, String> hosts = hosting(logs);
            int victim = 1;
            long most = -1;
            for (int k = 1; k <= 3; k++) {
                String instance = "s" + k;
                long count = hosts.values().stream().filter(instance::equals).count();
                System.out.printf("%s hosts %d guards: heap after a full GC %d MB%n", instance, count,
                        heapAfterGc(serves.get(k - 1).pid()) / 1024);
                if (count > most) {
                    most = count;
                    victim = k;
                }
            }
            String killed = "s" + victim;

            List<Integer> moved = new ArrayList<>();
            hosts.forEach((id, host) -> {
                if (host.equals(killed)) {
                    moved.add(Integer.parseInt(id.substring("guard-".length())));
                }
            });
            try (KafkaConsumer<String, byte[]> clamps = clampReader(bootstrap, topics)) {
                slow.addAll(moved);
                long kill = System.nanoTime();
                serves.get(victim - 1).destroyForcibly();
                Map<String, Double> firstClamp = new TreeMap<>();
                Map<String, Double> rehosted = new TreeMap<>();
                long deadline = kill + TimeUnit.SECONDS.toNanos(120);
                while (firstClamp.size() < moved.size() && System.nanoTime() < deadline) {
                    if (rehosted.size() < moved.size()) {
                        double at = (System.nanoTime() - kill) / 1e9;
                        for (String survivor : List.of("s1", "s2", "s3")) {
                            if (survivor.equals(killed)) {
                                continue;
                            }
                            for (String l : Files.readAllLines(logs.resolve(survivor + ".log"))) {
                                if (l.startsWith("serve    hosting guard '")) {
                                    String id = l.substring(l.indexOf('\'') + 1, l.indexOf('\'', l.indexOf('\'') + 1));
                                    if (hosts.get(id).equals(killed)) {
                                        rehosted.putIfAbsent(id, at);
                                    }
                                }
                            }
                        }
                    }
                    for (ConsumerRecord<String, byte[]> r : clamps.poll(Duration.ofMillis(50))) {
                        int guard = Integer.parseInt(r.key().substring("guard-".length()));
                        if (moved.contains(guard) && new String(r.value(), StandardCharsets.UTF_8).contains("\"type\":\"clamp\"")) {
                            firstClamp.putIfAbsent(r.key(), (System.nanoTime() - kill) / 1e9);
                        }
                    }
                }
                List<Double> hostedAt = new ArrayList<>(rehosted.values());
                hostedAt.sort(Double::compare);
                if (!hostedAt.isEmpty()) {
                    System.out.printf("kill -9 to a survivor hosting a moved guard: first %.1f s, last %.1f s%n", hostedAt.get(0),
                            hostedAt.get(hostedAt.size() - 1));
                }
                printRecoveries(logs, killed, hosts);
                List<Double> times = new ArrayList<>(firstClamp.values());
                times.sort(Double::compare);
                System.out.printf("%d guards over 3 instances; %d moved from the killed one (%s); session timeout %s s%n",
                        guards, moved.size(), killed, sessionTimeout);
                System.out.printf("kill -9 to the first clamp of a moved guard: first %.1f s, median %.1f s, last %.1f s (%d of %d clamped)%n",
                        times.isEmpty() ? Double.NaN : times.get(0), times.isEmpty() ? Double.NaN : times.get(times.size() / 2),
                        times.isEmpty() ? Double.NaN : times.get(times.size() - 1), times.size(), moved.size());
            }
        } finally {
            if (feeder != null) {
                feeder.interrupt();
            }
            serves.forEach(Process::destroy);
            for (Process p : serves) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(); // an overloaded instance may not finish its shutdown
                }
            }
            broker.close();
        }
    }

    /** The bytes {@code topic} holds on the broker's log directories, all partitions. */
    static long topicBytes(String bootstrap, String topic) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", bootstrap))) {
            List<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.common.Node::id).toList();
            return admin.describeLogDirs(brokers).allDescriptions().get(30, TimeUnit.SECONDS).values().stream()
                    .flatMap(dirs -> dirs.values().stream())
                    .flatMap(dir -> dir.replicaInfos().entrySet().stream())
                    .filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue().size()).sum();
        }
    }

    /** How the moved guards recovered, from the survivors' recovery lines: from a snapshot or not, records re-fed, time. */
    static void printRecoveries(Path logs, String killed, Map<String, String> hosts) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        for (String survivor : List.of("s1", "s2", "s3")) {
            if (!survivor.equals(killed)) {
                for (String l : Files.readAllLines(logs.resolve(survivor + ".log"))) {
                    int q = l.indexOf('\'');
                    if (l.startsWith("engine   recovered '") && killed.equals(hosts.get(l.substring(q + 1, l.indexOf('\'', q + 1))))) {
                        lines.add(l.substring("engine   recovered ".length()));
                    }
                }
            }
        }
        lines.forEach(l -> System.out.println("  " + l));
    }

    /** The JVM's used heap in KiB right after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}). */
    static long heapAfterGc(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
        Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure from jcmd: " + text);
        }
        return Long.parseLong(m.group(1));
    }

    static Process serve(Path cli, String bootstrap, String instance, String sessionTimeout, Path log) throws Exception {
        return serve(cli, bootstrap, PREFIX, 512, instance, sessionTimeout, log);
    }

    /**
     * A {@code drill serve} JVM (G1, {@code heapMb} MB) of the group under {@code prefix}, its output to {@code log};
     * {@code options}: more of serve's options.
     */
    static Process serve(Path cli, String bootstrap, String prefix, int heapMb, String instance, String sessionTimeout,
                         Path log, String... options) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xms" + heapMb + "m", "-Xmx" + heapMb + "m", "-XX:+UseG1GC", "-cp",
                cli.resolve("drill-cli.jar") + java.io.File.pathSeparator + cli.resolve("lib").resolve("*"),
                "io.failoverdrill.cli.DrillCli", "serve", "--instance-id", instance, "--session-timeout-s", sessionTimeout,
                "--bootstrap-servers", bootstrap, "--topic-prefix", prefix));
        cmd.addAll(List.of(options));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Guard {@code j} watches {@code us-east-j} and {@code eu-west-j}: clamp at p95 > 250 ms held 2 s. */
    static void submit(String bootstrap, Topics topics, int guards) {
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            for (int j = 0; j < guards; j++) {
                String id = String.format("guard-%03d", j);
                String policy = "{\"guard_id\":\"" + id + "\",\"regions\":[\"us-east-" + j + "\",\"eu-west-" + j + "\"],"
                        + "\"detect\":{\"window_s\":5,\"p95_ms\":250},\"routing\":{\"hysteresis_s\":2},"
                        + "\"clamp\":{\"initial_limit\":64,\"min_limit\":4,\"backoff_ratio\":0.5},\"allowed_lateness_ms\":2000}";
                p.send(new ProducerRecord<>(topics.plans(), id, policy.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** Live telemetry, every 100 ms: per guard, observer and region one request; a slow guard's first region at ~400 ms. */
    static void feed(String bootstrap, Topics topics, int guards, Set<Integer> slow) {
        Random jitter = new Random(7);
        long n = 0;
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.currentTimeMillis();
                for (int j = 0; j < guards; j++) {
                    for (String obs : List.of("probe-a", "probe-b")) {
                        for (String region : List.of("us-east-" + j, "eu-west-" + j)) {
                            double ms = region.startsWith("us-east") && slow.contains(j) ? 400 : 90;
                            TelemetryEvent e = new TelemetryEvent(obs + "/" + region + "/" + (++n), region, obs, now, null,
                                    new Telemetry.Request(ms * (0.9 + 0.2 * jitter.nextDouble()), 200, null, null, false, "/api"));
                            p.send(new ProducerRecord<>(topics.telemetry(), region, Codec.encode(e)));
                        }
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A read_committed reader of the clamp topic, positioned at its end. */
    static KafkaConsumer<String, byte[]> clampReader(String bootstrap, Topics topics) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topics.clampCommands()).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    static int took(Path logs) throws Exception {
        int n = 0;
        for (int k = 1; k <= 3; k++) {
            n += Files.readString(logs.resolve("s" + k + ".log")).contains("serve    took plans partition(s)") ? 1 : 0;
        }
        return n;
    }

    /** Which instance hosts each guard, from the logs. */
    static Map<String, String> hosting(Path logs) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.list(logs)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                String instance = f.getFileName().toString().replace(".log", "");
                for (String l : Files.readAllLines(f)) {
                    if (l.startsWith("serve    hosting guard '")) {
                        out.put(l.substring(l.indexOf('\'') + 1, l.indexOf('\'', l.indexOf('\'') + 1)), instance);
                    }
                }
            }
        }
        return out;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(Check check, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + seconds + " s: " + what);
            }
            Thread.sleep(200);
        }
    }
}

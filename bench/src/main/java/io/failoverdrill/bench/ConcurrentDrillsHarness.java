package io.failoverdrill.bench;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Many concurrent drills on one {@code drill serve} instance (see BENCHMARKS.md): {@code --drills} brownout drills,
 * each on its own pair of regions with a closed-loop synthetic world (acks included), their inputs merged by event
 * time onto one ordered input topic and published as fast as the producer goes once every drill is hosted. Measures
 * the time until every drill's decision log is committed, the instance's heap after a full GC while they run, and
 * checks each committed log against the pure core on the same input. Run from the repository root after
 * {@code mvn -B install -DskipTests}. Args: {@code [--bootstrap-servers B] [--drills 100] [--heap-mb 2048]
 * [--max-poll-records 20000] [--cli cli/target]}.
 */
public final class ConcurrentDrillsHarness {
    static final String PREFIX = "concurrent.";

    public static void main(String[] args) throws Exception {
        int drills = Integer.parseInt(EndToEndHarness.arg(args, "--drills", "100"));
        int heapMb = Integer.parseInt(EndToEndHarness.arg(args, "--heap-mb", "2048"));
        String maxPollRecords = EndToEndHarness.arg(args, "--max-poll-records", "20000");
        Path cli = Path.of(EndToEndHarness.arg(args, "--cli", "cli/target"));
        String demo = Files.readString(Path.of("plans", "demo-brownout.json"));

        Map<String, byte[]> plans = new TreeMap<>();
        List<InputEvent> input = new ArrayList<>();
        Map<String, DrillPlan> decoded = new TreeMap<>();
        for (int i = 0; i < drills; i++) {
            String id = String.format("drill-%03d", i);
            byte[] value = demo.replace("us-east", "us-east-d" + i).replace("eu-west", "eu-west-d" + i)
                    .replace("\"demo-brownout\"", "\"" + id + "\"").getBytes(StandardCharsets.UTF_8);
            DrillPlan plan = Codec.decodePlan(value);
            plans.put(id, value);
            decoded.put(id, plan);
            for (InputEvent e : SyntheticWorld.closedLoop(plan, SyntheticWorld.Setup.of(i)).run(300).driver().inputs()) {
                input.add(e instanceof ControlEvent c ? new ControlEvent(id + "/" + c.eventId(), c.tsMs(), c.drillId(), c.action(),
                        c.fault()) : e);
            }
        }
        input.sort(Comparator.comparingLong(InputEvent::tsMs));
        List<byte[]> records = input.stream().map(Codec::encode).toList();
        Map<String, List<String>> expected = new HashMap<>();
        decoded.forEach((id, plan) -> {
            DrillCore core = new DrillCore(plan);
            List<String> out = new ArrayList<>();
            input.forEach(e -> core.accept(e).forEach(d -> out.add(Codec.encodeToString(d))));
            expected.put(id, out);
        });
        System.out.printf("%d drills, %d input records (%.1f MB) on one ordered input%n", drills, records.size(),
                records.stream().mapToLong(r -> r.length).sum() / 1e6);

        Broker broker = Broker.of(args);
        String bootstrap = broker.bootstrap();
        Path log = Files.createTempFile("concurrent-serve", ".log");
        Process serve = null;
        try {
            Topics topics = new Topics(PREFIX, true);
            TopicProvisioner.ensure(bootstrap, topics, (short) 1);
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            serve = new ProcessBuilder(javaBin, "-Xms" + heapMb + "m", "-Xmx" + heapMb + "m", "-XX:+UseG1GC", "-cp",
                    cli.resolve("drill-cli.jar") + java.io.File.pathSeparator + cli.resolve("lib").resolve("*"),
                    "io.failoverdrill.cli.DrillCli", "serve", "--instance-id", "s1", "--status-every-s", "0",
                    "--max-poll-records", maxPollRecords,
                    "--bootstrap-servers", bootstrap, "--topic-prefix", PREFIX, "--single-input")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ServeTakeoverHarness.await(() -> Files.readString(log).contains("serve    took plans partition(s)"), 120, "serve joined");
            try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
                plans.forEach((id, value) -> p.send(new ProducerRecord<>(topics.plans(), id, value)));
            }
            ServeTakeoverHarness.await(() -> Files.readAllLines(log).stream().filter(l -> l.startsWith("serve    hosting drill")).count()
                    == drills, 300, "every drill hosted");
            long idleKb = ServeTakeoverHarness.heapAfterGc(serve.pid());

            long t0 = System.nanoTime();
            try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
                for (byte[] r : records) {
                    p.send(new ProducerRecord<>(topics.telemetry(), 0, "k", r));
                }
            }
            double published = (System.nanoTime() - t0) / 1e9;
            Map<String, List<String>> committed = new TreeMap<>();
            Map<String, Double> doneAt = new TreeMap<>();
            long midHeapKb = -1;
            try (KafkaConsumer<String, byte[]> decisions = reader(bootstrap, topics.decisions())) {
                long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
                while (doneAt.size() < drills && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : decisions.poll(Duration.ofMillis(200))) {
                        List<String> got = committed.computeIfAbsent(r.key(), k -> new ArrayList<>());
                        got.add(new String(r.value(), StandardCharsets.UTF_8));
                        if (got.size() == expected.get(r.key()).size()) {
                            doneAt.put(r.key(), (System.nanoTime() - t0) / 1e9);
                        }
                    }
                    if (midHeapKb < 0 && doneAt.size() >= drills / 2) {
                        midHeapKb = ServeTakeoverHarness.heapAfterGc(serve.pid());
                    }
                }
            }
            List<Double> times = doneAt.values().stream().sorted().toList();
            long wrong = expected.entrySet().stream().filter(e -> !e.getValue().equals(committed.get(e.getKey()))).count();
            System.out.printf("input published in %.1f s; %d of %d drills done: first %.1f s, median %.1f s, last %.1f s"
                            + " after the first record; %d decision logs differ from the pure core's on the same input%n",
                    published, doneAt.size(), drills, times.isEmpty() ? Double.NaN : times.get(0),
                    times.isEmpty() ? Double.NaN : times.get(times.size() / 2), times.isEmpty() ? Double.NaN : times.get(times.size() - 1),
                    wrong);
            System.out.printf("records read by the instance's engines: %d (%d per drill), %.0f rec/s over all of them%n",
                    (long) records.size() * drills, records.size(),
                    times.isEmpty() ? Double.NaN : (double) records.size() * drills / times.get(times.size() - 1));
            System.out.printf("serve heap after a full GC: hosting %d drills idle %d MB, half of them done %d MB (-Xmx%dm,"
                    + " --max-poll-records %s)%n", drills, idleKb / 1024, midHeapKb / 1024, heapMb, maxPollRecords);
        } finally {
            if (serve != null) {
                serve.destroy();
            }
            broker.close();
        }
        System.exit(0);
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 131072, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A read_committed reader of {@code topic} from its beginning. */
    static KafkaConsumer<String, byte[]> reader(String bootstrap, String topic) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    private ConcurrentDrillsHarness() {
    }
}

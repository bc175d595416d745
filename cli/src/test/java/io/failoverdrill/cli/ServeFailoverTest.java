package io.failoverdrill.cli;

import io.failoverdrill.engine.core.DecisionCore;
import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.testing.GuardTraffic;
import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.GuardPolicy;
import org.apache.kafka.clients.admin.Admin;
import io.failoverdrill.engine.kafka.ServeGroup;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real {@code drill serve} processes in one group host 20 drills and 10 guards submitted to the plans topic: two
 * start them, a third joins while they run (its share moves to it, live), then the busiest is killed with SIGKILL
 * mid-drill. Every drill still ends, and for every drill and guard the decision log
 * and command topics (read_committed) hold exactly what an uninterrupted engine decides on the same input — the
 * pure core fed the input in order — no command lost, none doubled.
 */
class ServeFailoverTest {
    static final String PREFIX = "srv.";
    static final int DRILLS = 20;
    static final int GUARDS = 10;

    /** A drill or guard of the test: its id, plan bytes (as submitted) and decoded plan. */
    record Unit(String id, byte[] value, DrillPlan plan, boolean guard) {
        DecisionCore core() {
            return guard ? new GuardCore(plan) : new DrillCore(plan);
        }
    }

    @Test
    void aJoiningInstanceAndAKilledOneLoseAndDoubleNothing(@TempDir Path tmp) throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics(PREFIX, true);
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);

        // each drill and guard watches its own pair of regions, so the worlds share the topics but not their regions
        List<Unit> units = new ArrayList<>();
        List<InputEvent> input = new ArrayList<>();
        String demo = Files.readString(Path.of("..", "plans", "demo-brownout.json"));
        for (int i = 0; i < DRILLS; i++) {
            String id = String.format("drill-%02d", i);
            byte[] value = renamed(demo, "d" + i).replace("\"demo-brownout\"", "\"" + id + "\"").getBytes(StandardCharsets.UTF_8);
            DrillPlan plan = Codec.decodePlan(value);
            units.add(new Unit(id, value, plan, false));
            for (InputEvent e : SyntheticWorld.closedLoop(plan, SyntheticWorld.Setup.of(i)).run(300).driver().inputs()) {
                // the worlds name their control events by action and time alone: made unique across the drills
                input.add(e instanceof ControlEvent c ? new ControlEvent(id + "/" + c.eventId(), c.tsMs(), c.drillId(), c.action(),
                        c.fault()) : e);
            }
        }
        String guardJson = Files.readString(GuardProcessKillTest.POLICY);
        for (int j = 0; j < GUARDS; j++) {
            String id = String.format("guard-%02d", j);
            String suffix = "g" + j;
            byte[] value = renamed(guardJson, suffix).replace("\"guard-prod\"", "\"" + id + "\"").getBytes(StandardCharsets.UTF_8);
            units.add(new Unit(id, value, GuardPolicy.decode(value), true));
            int slowFrom = 30 + 3 * j;
            for (InputEvent e : GuardTraffic.of(150, s -> s >= slowFrom && s < slowFrom + 60 ? 400 : 100)) {
                input.add(Codec.decodeInput(renamed(Codec.encodeToString(e), suffix).getBytes(StandardCharsets.UTF_8)));
            }
        }
        input.sort(Comparator.comparingLong(InputEvent::tsMs)); // stable: each world keeps its own order
        List<String> lines = input.stream().map(Codec::encodeToString).toList();

        // the uninterrupted engine: each core fed the whole input in the order of the topic
        Map<String, List<String>> expected = new TreeMap<>();
        for (Unit u : units) {
            DecisionCore core = u.core();
            List<String> out = new ArrayList<>();
            input.forEach(e -> core.accept(e).forEach(d -> out.add(Codec.encodeToString(d))));
            expected.put(u.id(), out);
            if (!u.guard()) {
                assertThat(core.phase().terminal()).as(u.id() + " ends on this input").isTrue();
            } else {
                assertThat(out).as(u.id() + " clamps and releases").hasSizeGreaterThanOrEqualTo(2);
            }
        }

        List<Process> serves = new ArrayList<>();
        try {
            for (int k = 1; k <= 2; k++) {
                serves.add(serve(bootstrap, "s" + k, tmp.resolve("s" + k + ".log")));
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> tookPartitions(tmp, 2));
            // one through the CLI (validated, then written), the others as a producer would
            StringWriter submitted = new StringWriter();
            assertThat(new picocli.CommandLine(new DrillCli()).setOut(new PrintWriter(submitted))
                    .execute("submit", write(tmp, units.get(0)).toString(), "--bootstrap-servers", bootstrap, "--topic-prefix", PREFIX,
                            "--single-input")).as(submitted.toString()).isZero();
            submit(bootstrap, topics, units.subList(1, units.size()));
            List<String> ids = units.stream().map(Unit::id).toList();
            await().atMost(Duration.ofSeconds(120)).until(() -> runningOn(bootstrap, topics, ids).size() == ids.size());

            // a third instance joins while they run: its share of the drills and guards moves to it, live
            EngineProcessKillTest.feed(bootstrap, topics.telemetry(), upTo(input, lines, 10_000), 2000);
            serves.add(serve(bootstrap, "s3", tmp.resolve("s3.log")));
            await().atMost(Duration.ofSeconds(120)).until(() -> runningOn(bootstrap, topics, ids).containsValue("s3")
                    && runningOn(bootstrap, topics, ids).size() == ids.size());

            // up to 20 s of event time: every drill is past its start and before its end (at 36 s)
            List<String> firstPart = upTo(input, lines, 20_000);
            EngineProcessKillTest.feed(bootstrap, topics.telemetry(), firstPart.subList(upTo(input, lines, 10_000).size(),
                    firstPart.size()), 2000);
            Map<String, String> where = runningOn(bootstrap, topics, ids);
            String victim = where.values().stream().collect(Collectors.groupingBy(v -> v, Collectors.counting())).entrySet()
                    .stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            List<String> onVictim = where.entrySet().stream().filter(e -> e.getValue().equals(victim)).map(Map.Entry::getKey).toList();
            await().atMost(Duration.ofSeconds(180)).until(() -> committedOf(bootstrap, topics.decisions()).keySet()
                    .containsAll(onVictim.stream().filter(id -> id.startsWith("drill")).toList()));
            Map<String, List<String>> atKill = committedOf(bootstrap, topics.decisions());
            Process killedProcess = serves.get(Integer.parseInt(victim.substring(1)) - 1);
            killedProcess.destroyForcibly(); // SIGKILL: no shutdown hook; a transaction may be open
            assertThat(killedProcess.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long killed = System.nanoTime();
            assertThat(onVictim.stream().filter(id -> id.startsWith("drill")))
                    .as("killed mid-drill").anyMatch(id -> atKill.getOrDefault(id, List.of()).size() < expected.get(id).size());

            EngineProcessKillTest.feed(bootstrap, topics.telemetry(), lines.subList(firstPart.size(), lines.size()), 2000);
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                Map<String, List<String>> now = committedOf(bootstrap, topics.decisions());
                return expected.entrySet().stream().allMatch(e -> now.getOrDefault(e.getKey(), List.of()).size() >= e.getValue().size());
            });
            System.out.printf("serve failover: %d records, %d drills and %d guards done %.1f s after the kill of %s%n",
                    lines.size(), DRILLS, GUARDS, (System.nanoTime() - killed) / 1e9, victim);
            Map<String, String> after = runningOn(bootstrap, topics, onVictim.stream().filter(id -> id.startsWith("guard")).toList());
            assertThat(after.values()).as("the killed instance's guards run on the survivors").doesNotContain(victim);
        } catch (Throwable t) {
            throw withServeLogs(t, notDone(bootstrap, topics, expected), tmp, serves.size());
        } finally {
            serves.forEach(Process::destroy); // all at once, then each waited for
            for (Process p : serves) {
                ChildProcesses.stop(p);
            }
        }
        Map<String, List<String>> decisions = committedOf(bootstrap, topics.decisions());
        Map<String, List<String>> cutover = committedOf(bootstrap, topics.cutoverCommands());
        Map<String, List<String>> clamp = committedOf(bootstrap, topics.clampCommands());
        for (Unit u : units) {
            List<String> want = expected.get(u.id());
            assertThat(decisions.get(u.id())).as(u.id() + " decision log").containsExactlyElementsOf(want);
            List<String> commands = want.stream().filter(l -> l.contains("\"command_id\"")).toList();
            assertThat((u.guard() ? clamp : cutover).getOrDefault(u.id(), List.of())).as(u.id() + " commands")
                    .containsExactlyElementsOf(commands);
        }
    }

    /**
     * {@code failure} with the end of every serve instance's log in its message, and the whole logs kept under
     * {@code target/serve-failover-logs} (the temporary directory is deleted): a timeout here says nothing by itself.
     */
    static AssertionError withServeLogs(Throwable failure, String progress, Path tmp, int instances) {
        StringBuilder tails = new StringBuilder(failure.getMessage() + "\n" + progress);
        Path kept = Path.of("target", "serve-failover-logs");
        for (int k = 1; k <= instances; k++) {
            Path log = tmp.resolve("s" + k + ".log");
            try {
                Files.createDirectories(kept);
                Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                List<String> all = Files.readAllLines(log);
                tails.append("\n--- s").append(k).append(".log, last lines of ").append(all.size()).append(" ---\n")
                        .append(String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size())));
            } catch (IOException | RuntimeException unreadable) {
                tails.append("\n--- s").append(k).append(".log unreadable: ").append(unreadable);
            }
        }
        return new AssertionError(tails.toString(), failure);
    }

    /** Each id whose decision log is still short of the expected one: how many lines it has of how many. */
    static String notDone(String bootstrap, Topics topics, Map<String, List<String>> expected) {
        try {
            Map<String, List<String>> now = committedOf(bootstrap, topics.decisions());
            return "not done (committed/expected decisions): " + expected.entrySet().stream()
                    .filter(e -> now.getOrDefault(e.getKey(), List.of()).size() < e.getValue().size())
                    .map(e -> e.getKey() + " " + now.getOrDefault(e.getKey(), List.of()).size() + "/" + e.getValue().size())
                    .collect(Collectors.joining(", "));
        } catch (RuntimeException unreadable) {
            return "decision log unreadable: " + unreadable;
        }
    }

    /** The text with its two regions renamed (so that event ids, too, are the world's own). */
    static String renamed(String text, String suffix) {
        return text.replace("us-east", "us-east-" + suffix).replace("eu-west", "eu-west-" + suffix);
    }

    static Path write(Path dir, Unit u) throws IOException {
        return Files.write(dir.resolve(u.id() + ".json"), u.value());
    }

    static void submit(String bootstrap, Topics topics, List<Unit> units) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            units.forEach(u -> p.send(new ProducerRecord<>(topics.plans(), u.id(), u.value())));
        }
    }

    static Process serve(String bootstrap, String instance, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "io.failoverdrill.cli.DrillCli", "serve", "--instance-id", instance, "--session-timeout-s", "6",
                "--from", "earliest", "--status-every-s", "0", "--bootstrap-servers", bootstrap, "--topic-prefix", PREFIX,
                "--single-input").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The first {@code n} instances have been given their share of the plans partitions. */
    static boolean tookPartitions(Path tmp, int n) throws IOException {
        for (int k = 1; k <= n; k++) {
            if (!Files.readString(tmp.resolve("s" + k + ".log")).contains("serve    took plans partition(s)")) {
                return false;
            }
        }
        return true;
    }

    /** The lines of the input before {@code ms} of event time. */
    static List<String> upTo(List<InputEvent> input, List<String> lines, long ms) {
        return lines.subList(0, (int) input.stream().filter(e -> e.tsMs() < SyntheticWorld.T0 + ms).count());
    }

    /** The serve instance owning each id now (the serve group's assignment of the plans partitions). */
    static Map<String, String> runningOn(String bootstrap, Topics topics, List<String> ids) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<String, String> out = new TreeMap<>();
            ServeGroup.ownersOf(admin, topics, PREFIX + "serve", ids).forEach((id, owner) -> out.put(id, owner.split(" ")[0]));
            return out;
        }
    }

    /** The committed values of a topic by key, in partition order. */
    static Map<String, List<String>> committedOf(String bootstrap, String topic) {
        return CommittedRecords.readToEnd(bootstrap, topic).stream().filter(r -> r.key() != null)
                .collect(Collectors.groupingBy(ConsumerRecord::key, TreeMap::new,
                        Collectors.mapping(r -> new String(r.value(), StandardCharsets.UTF_8), Collectors.toList())));
    }
}

package io.failoverdrill.kafka.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) running inside this JVM, from Kafka's production
 * jars ({@code kafka.server.KafkaRaftServer}, storage formatted with the {@code kafka-storage} formatter at the
 * latest production metadata version). Loopback ports chosen at start; data under the temp directory, deleted on
 * {@link #close()}. Used by {@code drill demo}, {@code drill broker} and tests without Docker. Being in-process, it
 * cannot outlive the JVM that started it.
 */
public final class EmbeddedKafka implements KafkaEndpoint {
    private final KafkaRaftServer server;
    private final Path dir;
    private final int port;

    private EmbeddedKafka(KafkaRaftServer server, Path dir, int port) {
        this.server = server;
        this.dir = dir;
        this.port = port;
    }

    /** The loopback ports a broker was given: its client listener and its controller listener. */
    public record Ports(int broker, int controller) {
    }

    /** Starts with no broker properties beyond the defaults (see {@link #start(Map)}). */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Formats and starts a one-node cluster and waits until its broker accepts connections (≈ 3 s). {@code extra}
     * broker properties override the defaults. The broker lives inside the demo's or the tests' JVM, so Kafka's exit
     * and halt procedures are replaced: a fatal fault in the broker ends the broker's thread with an exception
     * instead of halting the whole JVM.
     */
    public static EmbeddedKafka start(Map<String, String> extra) {
        return start(ports -> extra, List.of());
    }

    /**
     * As {@link #start(Map)}, with broker properties that depend on the ports chosen (a secured listener names its
     * port) and {@code scram} credentials written at format time ({@code kafka-storage format --add-scram}
     * arguments, e.g. {@code SCRAM-SHA-512=[name=admin,password=…]}): the first user of a cluster that
     * authenticates every client.
     */
    public static EmbeddedKafka start(java.util.function.Function<Ports, Map<String, String>> extra, List<String> scram) {
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("the embedded Kafka broker asked to exit(" + code + "): " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            throw new IllegalStateException("the embedded Kafka broker asked to halt(" + code + "): " + message);
        });
        Path dir = null;
        try {
            dir = Files.createTempDirectory("drill-kafka-");
            int port = freePort();
            int controllerPort = freePort();
            Properties props = new Properties();
            props.putAll(Map.ofEntries(
                    Map.entry("process.roles", "broker,controller"), Map.entry("node.id", "1"),
                    Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                    Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                    Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                    Map.entry("controller.listener.names", "CONTROLLER"), Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                    Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                    Map.entry("log.dirs", dir.resolve("data").toString()),
                    Map.entry("offsets.topic.replication.factor", "1"), Map.entry("offsets.topic.num.partitions", "3"),
                    Map.entry("transaction.state.log.replication.factor", "1"), Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("transaction.state.log.num.partitions", "3"),
                    Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                    Map.entry("share.coordinator.state.topic.min.isr", "1"),
                    Map.entry("group.initial.rebalance.delay.ms", "0"), Map.entry("auto.create.topics.enable", "false")));
            props.putAll(extra.apply(new Ports(port, controllerPort)));
            format(dir.resolve("data"), scram);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
            server.startup();
            awaitListening(port);
            return new EmbeddedKafka(server, dir, port);
        } catch (Exception e) {
            if (dir != null) {
                delete(dir);
            }
            throw new IllegalStateException("could not start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /** Formats {@code data} as node 1 of a new cluster; {@code scram}: {@code kafka-storage}'s --add-scram arguments. */
    static void format(Path data, List<String> scram) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(java.io.OutputStream.nullOutputStream()))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(data.toString())
                .setDirectories(List.of(data.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setScramArguments(scram)
                .run();
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        throw new IllegalStateException("the broker did not listen on 127.0.0.1:" + port + " within 60 s");
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            delete(dir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

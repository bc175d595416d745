package io.failoverdrill.kafka.testkit;

import io.failoverdrill.kafka.embedded.KafkaEndpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft broker as its own process, started from the Kafka jars on this JVM's class path, with
 * fixed loopback ports and a data directory that survive {@link #stop()} — so a test can stop the broker in the
 * middle of a drill and {@link #start()} it again.
 */
public final class ProcessKafka implements KafkaEndpoint {
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private Process process;

    public ProcessKafka(Path dir) {
        this.dir = dir;
        this.port = freePort();
        this.controllerPort = freePort();
        writeConfig();
        java(List.of("kafka.tools.StorageTool", "format", "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                "-c", dir.resolve("server.properties").toString()), dir.resolve("format.log"), true);
    }

    /** Starts the broker and waits (up to 60 s) until it accepts connections. */
    public ProcessKafka start() {
        process = java(List.of("kafka.Kafka", dir.resolve("server.properties").toString()), dir.resolve("broker.log"), false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("broker exited at start; see " + dir.resolve("broker.log"));
                }
                sleep(100);
            }
        }
        throw new IllegalStateException("broker did not listen on " + port + " within 60 s");
    }

    /** Stops the broker with SIGTERM (a controlled shutdown) and waits for the process to end. */
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }

    private void writeConfig() {
        String config = String.join("\n",
                "process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0",
                "offsets.topic.num.partitions=3", "transaction.state.log.num.partitions=3",
                "auto.create.topics.enable=false", "");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("server.properties"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Process java(List<String> mainAndArgs, Path log, boolean wait) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(mainAndArgs);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (wait && p.waitFor() != 0) {
                throw new IllegalStateException(mainAndArgs.get(0) + " failed; see " + log + ": " + Files.readString(log));
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.failoverdrill.probes;

import io.failoverdrill.kafka.testkit.RealPrograms;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Debian's tinyproxy, a real HTTP proxy, in its own process on loopback for one test class. */
final class Tinyproxy implements AutoCloseable {
    private final Process process;
    private final int port;

    Tinyproxy(Path dir) throws IOException {
        Path binary = RealPrograms.find("tinyproxy", "/usr/bin/tinyproxy", "/usr/sbin/tinyproxy");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path conf = dir.resolve("tinyproxy.conf");
        Files.writeString(conf, String.join("\n", "Port " + port, "Listen 127.0.0.1", "Timeout 30", "MaxClients 50",
                "Allow 127.0.0.1", "LogLevel Info", "LogFile \"" + dir.resolve("tinyproxy.log") + "\"",
                "PidFile \"" + dir.resolve("tinyproxy.pid") + "\"", ""));
        process = new ProcessBuilder(binary.toString(), "-d", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            }
        });
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        process.destroy();
    }
}

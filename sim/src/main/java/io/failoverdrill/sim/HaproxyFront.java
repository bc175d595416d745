package io.failoverdrill.sim;

import io.failoverdrill.actuators.HaproxyActuator;
import io.failoverdrill.actuators.HaproxyRuntimeApi;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A real HAProxy (its own process) in front of the regions, as a global load balancer would be: user traffic enters
 * one frontend ({@link #users()}) and is balanced by server weight over backend {@code app} — one server per region,
 * named after it, sessions kept on their server by the {@code X-Session} header while it is up or draining — and each
 * region also has a frontend of its own ({@link #region}), the path probes measure through. The runtime API is a Unix
 * socket ({@link #statsSocket()}, level admin), and {@link #backendMap()} is what the HAProxy actuator needs: the
 * servers and the stick map ({@code stick.map}, read into {@code txn.sticky} on every user request).
 */
public final class HaproxyFront implements AutoCloseable {
    /** The backend whose server weights {@code set_weights} moves. */
    public static final String BACKEND = "app";
    private static final Duration READY_WITHIN = Duration.ofSeconds(20);
    private final Process process;
    private final Path dir;
    private final URI users;
    private final Map<String, URI> regions;

    private HaproxyFront(Process process, Path dir, URI users, Map<String, URI> regions) {
        this.process = process;
        this.dir = dir;
        this.users = users;
        this.regions = regions;
    }

    /** Debian's {@code haproxy} (or one on the {@code PATH}), if installed. */
    public static Optional<Path> binary() {
        List<Path> candidates = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty()) {
                candidates.add(Path.of(d, "haproxy"));
            }
        }
        candidates.add(Path.of("/usr/sbin/haproxy"));
        candidates.add(Path.of("/usr/local/sbin/haproxy"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Writes the configuration into a new private directory and starts {@code binary} in the foreground; returns once
     * its runtime API answers. {@code regions}: each region's own base URI (loopback); {@code weights}: the starting
     * weights. {@link #close} stops it and removes the directory.
     */
    public static HaproxyFront start(Path binary, Map<String, URI> regions, Map<String, Integer> weights)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("drill-haproxy-");
        int usersPort = freePort();
        Map<String, URI> fronts = new LinkedHashMap<>();
        // every frontend reads the stick map and announces its region in each response (header X-Stick-Region), if any
        List<String> stick = List.of("  http-request set-var(txn.sticky) str(region),map(" + dir.resolve("stick.map") + ",none)",
                "  http-response set-header X-Stick-Region %[var(txn.sticky)] unless { var(txn.sticky) -m str none }");
        List<String> cfg = new ArrayList<>(List.of(
                "global",
                "  stats socket " + dir.resolve("admin.sock") + " mode 600 level admin",
                "  maxconn 4096",
                "defaults",
                "  mode http",
                "  timeout connect 2s",
                "  timeout client 30s",
                "  timeout server 10s",
                "frontend users",
                "  bind 127.0.0.1:" + usersPort));
        cfg.addAll(stick);
        cfg.addAll(List.of(
                "  default_backend " + BACKEND,
                "backend " + BACKEND,
                "  balance roundrobin",
                "  stick-table type string len 64 size 100k expire 30s",
                "  stick on req.hdr(X-Session)"));
        regions.forEach((name, uri) -> cfg.add("  server " + name + " " + hostPort(uri) + " weight " + weights.getOrDefault(name, 0)));
        for (Map.Entry<String, URI> r : regions.entrySet()) {
            int port = freePort();
            fronts.put(r.getKey(), URI.create("http://127.0.0.1:" + port));
            cfg.addAll(List.of("frontend region-" + r.getKey(), "  bind 127.0.0.1:" + port));
            cfg.addAll(stick);
            cfg.addAll(List.of(
                    "  default_backend region-" + r.getKey(),
                    "backend region-" + r.getKey(),
                    "  server " + r.getKey() + " " + hostPort(r.getValue())));
        }
        cfg.add("");
        Files.writeString(dir.resolve("stick.map"), "");
        Files.writeString(dir.resolve("haproxy.cfg"), String.join("\n", cfg));
        Path log = dir.resolve("haproxy.log");
        Process p = new ProcessBuilder(binary.toString(), "-f", dir.resolve("haproxy.cfg").toString(), "-db")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HaproxyFront front = new HaproxyFront(p, dir, URI.create("http://127.0.0.1:" + usersPort), fronts);
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                front.runtimeApi().send("show info");
                return front;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        front.close();
        throw new IOException("haproxy did not start within " + READY_WITHIN.toSeconds() + " s: " + lastLine(log));
    }

    /** Where user traffic enters (balanced by weight over {@value #BACKEND}). */
    public URI users() {
        return users;
    }

    /** The frontend that reaches only {@code region} (through HAProxy): what probes measure. */
    public URI region(String region) {
        URI u = regions.get(region);
        if (u == null) {
            throw new IllegalArgumentException("no frontend for region " + region);
        }
        return u;
    }

    /** The path of HAProxy's admin socket (its runtime API). */
    public String statsSocket() {
        return dir.resolve("admin.sock").toString();
    }

    /** A client of that socket. */
    public HaproxyRuntimeApi runtimeApi() {
        return new HaproxyRuntimeApi(statsSocket());
    }

    /** Backend {@value #BACKEND}, a server per region (same name), and the stick map. */
    public HaproxyActuator.BackendMap backendMap() {
        Map<String, String> servers = new TreeMap<>();
        regions.keySet().forEach(r -> servers.put(r, r));
        return new HaproxyActuator.BackendMap(BACKEND, servers, dir.resolve("stick.map").toString(), null);
    }

    /** HAProxy's version line ({@code show info}). */
    public String version() throws IOException {
        for (String line : runtimeApi().send("show info").split("\n")) {
            if (line.startsWith("Version:")) {
                return line.substring("Version:".length()).trim();
            }
        }
        return "unknown";
    }

    private static String hostPort(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left behind
        }
    }
}

package io.failoverdrill.cli;

import io.failoverdrill.actuators.ActuatorLoop;
import io.failoverdrill.actuators.CommandHandler;
import io.failoverdrill.actuators.HttpActuator;
import io.failoverdrill.engine.kafka.AclPlan;
import io.failoverdrill.engine.kafka.StartPosition;
import io.failoverdrill.engine.kafka.TopicPermissions;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.schemas.sign.KeySet;
import io.failoverdrill.schemas.sign.SecretFiles;
import io.failoverdrill.schemas.sign.WatchedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code drill actuate http|…}: actuators for real systems. Each reads the command topics in its own consumer group
 * ({@code <prefix>actuator.<kind>}), applies only commands signed by an active key of {@code --keyset}, and acks
 * each one; it runs until stopped (Ctrl-C / SIGTERM).
 */
@Command(name = "actuate", mixinStandardHelpOptions = true,
        description = "Apply the engine's signed commands to a real system and ack them (runs until stopped).",
        subcommands = {ActuateCommand.Http.class, ActuateCommand.Haproxy.class})
final class ActuateCommand {

    /** The options every actuator shares. */
    static final class Shared {
        @Option(names = "--keyset", paramLabel = "FILE",
                description = "apply only commands signed by an active key of this key set (drill keys); re-read when changed")
        Path keyset;

        @Option(names = "--accept-unsigned", description = "apply unsigned commands (a test bench only; never production)")
        boolean acceptUnsigned;

        @Option(names = "--observer", description = "the acks' observer name (default: <kind>-actuator)")
        String observer;

        @Option(names = "--from", paramLabel = "WHERE", defaultValue = "PT15M",
                description = "where an actuator group that never committed starts: a look-back (default: ${DEFAULT-VALUE}, "
                        + "the commands of a drill under way), an ISO-8601 instant, latest or earliest (every retained "
                        + "command applied in turn); a group that committed resumes where it stopped")
        String from;

        @Mixin
        KafkaOptions kafka;

        /** {@code --from}, asked at {@code nowMs}: where the group's first start reads. */
        StartPosition firstStart(long nowMs) {
            return StartPosition.parse("--from", from, () -> nowMs);
        }

        /** {@code position} as Kafka's {@code auto.offset.reset} at {@code nowMs}: a time becomes a look-back from now. */
        static String autoOffsetReset(StartPosition position, long nowMs) {
            if (position instanceof StartPosition.Earliest) {
                return "earliest";
            }
            long backMs = position instanceof StartPosition.At at ? nowMs - at.epochMs() : 0;
            return backMs <= 0 ? "latest" : "by_duration:" + Duration.ofMillis(backMs);
        }

        Supplier<KeySet> keys(PrintWriter out) {
            if (keyset == null && !acceptUnsigned) {
                throw new IllegalArgumentException("--keyset FILE is required (or --accept-unsigned on a test bench): an "
                        + "actuator applies only commands signed by the engine's key");
            }
            return keyset == null ? null : WatchedFile.keySet(keyset, line -> say(out, "actuator " + line));
        }

        /** Runs {@code handler} until the JVM is asked to stop (0) or the loop stops on an error (1). */
        int run(String kind, CommandHandler handler, PrintWriter out) throws InterruptedException {
            Supplier<KeySet> keys = keys(out);
            long now = System.currentTimeMillis();
            StartPosition firstStart = firstStart(now);
            Map<String, Object> client = kafka.reachableClient();
            Topics topics = kafka.topics();
            TopicPermissions.check(client, topics, AclPlan.Role.ACTUATOR);
            TopicProvisioner.verify(client, topics, List.of(topics.cutoverCommands(), topics.clampCommands(), topics.acks()));
            String name = observer == null ? kind + "-actuator" : observer;
            UntilStopped started = new UntilStopped();
            started.add(new ActuatorLoop(new ActuatorLoop.Wiring(client, List.of(topics.cutoverCommands(), topics.clampCommands()),
                    topics.acks(), topics.prefix() + "actuator." + kind, keys, autoOffsetReset(firstStart, now)), handler, name, line -> say(out, line))
                    .onFailure(started::fail).start());
            say(out, "actuator " + kind + " as '" + name + "' on " + topics.cutoverCommands() + ", " + topics.clampCommands()
                    + " → " + topics.acks() + "; " + (keys == null ? "UNSIGNED commands accepted" : "signatures verified: "
                    + keys.get().summary()) + "; a first start of group " + topics.prefix() + "actuator." + kind + " reads "
                    + firstStart.describe() + "; Ctrl-C stops");
            // an actuator that stopped on an error ends the command, so that a supervisor restarts it
            return started.await() ? DrillCli.VERDICT_FAILED : DrillCli.OK;
        }

        static void say(PrintWriter out, String line) {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
    }

    @Command(name = "http", mixinStandardHelpOptions = true,
            description = "POST each verified command as JSON (Idempotency-Key, optional HMAC) to your automation.")
    static final class Http implements Callable<Integer> {
        @Option(names = "--url", required = true, description = "where to POST each command")
        URI url;

        @Option(names = "--header", paramLabel = "NAME=VALUE", description = "a header sent with every request (repeatable)")
        List<String> headers = List.of();

        @Option(names = "--header-file", paramLabel = "NAME=FILE",
                description = "a header whose value is a secret read from an owner-only file, never printed (repeatable)")
        List<String> headerFiles = List.of();

        @Option(names = "--hmac-key", paramLabel = "FILE", description = "sign each body: X-Drill-Signature: sha256=<HMAC-SHA256> (owner-only file)")
        Path hmacKey;

        @Option(names = "--timeout-ms", defaultValue = "5000", description = "per attempt (default: ${DEFAULT-VALUE})")
        long timeoutMs;

        @Option(names = "--attempts", defaultValue = "4", description = "5xx and timeouts are retried, doubling a 500 ms backoff (default: ${DEFAULT-VALUE})")
        int attempts;

        @Mixin
        Shared shared;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<String, String> all = new LinkedHashMap<>();
            for (String h : headers) {
                String[] kv = nameValue(h, "--header");
                all.put(kv[0], kv[1]);
            }
            for (String h : headerFiles) {
                String[] kv = nameValue(h, "--header-file");
                all.put(kv[0], new String(SecretFiles.readOwnerOnly(Path.of(kv[1]), "header file"), StandardCharsets.UTF_8).strip());
            }
            byte[] key = hmacKey == null ? null : SecretFiles.readOwnerOnly(hmacKey, "HMAC key");
            HttpActuator http = new HttpActuator(new HttpActuator.Settings(url, all, key, Duration.ofMillis(timeoutMs), attempts,
                    Duration.ofMillis(500)));
            return shared.run("http", http, spec.commandLine().getOut());
        }

        private static String[] nameValue(String s, String option) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " must be NAME=VALUE, got '" + (eq < 0 ? s.replaceAll("(?<=.{12}).", "…") : s) + "'");
            }
            return new String[]{s.substring(0, eq).strip(), s.substring(eq + 1)};
        }
    }

    @Command(name = "haproxy", mixinStandardHelpOptions = true,
            description = "Apply set_weights (and stick / write-path map entries) through HAProxy's runtime API.")
    static final class Haproxy implements Callable<Integer> {
        @Option(names = "--stats-socket", required = true, paramLabel = "PATH|HOST:PORT",
                description = "HAProxy's runtime API socket (stats socket … level admin)")
        String statsSocket;

        @Option(names = "--backend-map", required = true, paramLabel = "FILE",
                description = "{\"backend\":…,\"servers\":{region: server},\"stick_map\":…,\"writer_map\":…}")
        Path backendMap;

        @Mixin
        Shared shared;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            io.failoverdrill.actuators.HaproxyActuator.BackendMap map = io.failoverdrill.actuators.HaproxyActuator.BackendMap.load(backendMap);
            io.failoverdrill.actuators.HaproxyRuntimeApi api = new io.failoverdrill.actuators.HaproxyRuntimeApi(statsSocket);
            String state;
            try {
                state = api.send("show servers state " + map.backend());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot reach " + api + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println("haproxy  backend " + map.backend() + " servers " + map.servers()
                    + " (" + state.lines().filter(l -> !l.startsWith("#") && l.contains(" ")).count() + " reported)");
            return shared.run("haproxy", new io.failoverdrill.actuators.HaproxyActuator(api, map), spec.commandLine().getOut());
        }
    }
}

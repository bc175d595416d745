package io.failoverdrill.cli;

import io.failoverdrill.probes.KafkaBacklogProbe;
import io.failoverdrill.probes.KafkaTelemetrySink;
import io.failoverdrill.probes.ProbeConfig;
import io.failoverdrill.probes.ProbeTarget;
import io.failoverdrill.probes.RagProbe;
import io.failoverdrill.probes.RegionProbe;
import io.failoverdrill.rag.Corpus;
import io.failoverdrill.rag.GoldSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code drill probe --config FILE --bootstrap-servers B}: runs the configured probes and publishes to Kafka until Ctrl-C
 * (0), or until an event cannot be published (1).
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Probe regions (HTTP with phase timings, status endpoints, RAG quality, Kafka backlog) and publish telemetry to Kafka.")
final class ProbeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "probe config JSON (regions, rates, RAG gold set, backlog groups)")
    Path config;

    @Option(names = "--blackbox", paramLabel = "URL",
            description = "instead of probing itself: ask this Prometheus blackbox exporter to probe each --target")
    java.net.URI blackbox;

    @Option(names = "--module", defaultValue = "http_2xx", description = "with --blackbox: the exporter's module (default: ${DEFAULT-VALUE})")
    String module;

    @Option(names = "--target", paramLabel = "REGION=URL", description = "with --blackbox: a region and the URL the exporter probes (repeatable)")
    java.util.List<String> targets = java.util.List.of();

    @Option(names = "--every-ms", defaultValue = "1000", description = "with --blackbox: probe period (default: ${DEFAULT-VALUE})")
    long everyMs;

    @Option(names = "--observer", defaultValue = "blackbox", description = "with --blackbox: the events' observer (default: ${DEFAULT-VALUE})")
    String observer;

    @Option(names = "--otlp", paramLabel = "MAPPING",
            description = "instead of probing itself: bridge OTLP metrics (the Collector's Kafka exporter, otlp_proto or "
                    + "otlp_json) to request telemetry; MAPPING names the metric and where region and observer come from")
    Path otlpMapping;

    @Option(names = "--otlp-topic", defaultValue = "otlp_metrics", description = "with --otlp: the topic the Collector writes (default: ${DEFAULT-VALUE})")
    String otlpTopic;

    @Option(names = "--otlp-from-earliest", description = "with --otlp: a new bridge starts at the topic's earliest record (default: its end)")
    boolean otlpFromEarliest;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--check", description = "validate the config and exit (0 valid, 2 invalid)")
    boolean check;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (blackbox != null) {
            return blackbox();
        }
        if (otlpMapping != null) {
            return otlp();
        }
        if (config == null) {
            spec.commandLine().getErr().println("drill probe: --config FILE (or --blackbox URL with --target REGION=URL) is required");
            return DrillCli.USAGE;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(config);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file not found: " + config);
        }
        ProbeConfig c;
        try {
            c = ProbeConfig.parse(bytes);
        } catch (ProbeConfig.Invalid e) {
            e.errors().forEach(err -> spec.commandLine().getErr().println(config + ": " + err));
            return DrillCli.USAGE;
        }
        var out = spec.commandLine().getOut();
        if (check) {
            out.println(config + ": valid (" + c.regions().size() + " regions)");
            return DrillCli.OK;
        }
        var client = checkedClient();
        UntilStopped started = new UntilStopped();
        KafkaTelemetrySink sink = sink(client, started, out);
        Duration timeout = Duration.ofMillis(c.timeoutMs());
        for (ProbeConfig.Region r : c.regions()) {
            Duration regionTimeout = r.timeoutMs() == null ? timeout : Duration.ofMillis(r.timeoutMs());
            RegionProbe p = new RegionProbe(new ProbeTarget(r.name(), r.serviceUrl(), r.serviceUrl().resolve("/"), r.tool(),
                    r.followRedirects(), r.proxy()), r.request(), r.status(), c.observer(), r.rps(), regionTimeout, sink, null);
            p.start();
            started.add(p);
            out.printf("probe    %s: %s %s%s at %.1f req/s as %s; %s%n", r.name(), r.request(), r.serviceUrl(),
                    r.proxy() == null ? "" : " via " + r.proxy(), r.rps(), c.observer(),
                    r.status() == null ? "no status endpoints" : "status from " + statusKinds(r.status()));
            if (c.rag() != null && r.retrieveUrl() != null) {
                GoldSet gold = "bundled".equals(c.rag().goldSet()) ? GoldSet.bundled() : GoldSet.read(Path.of(c.rag().goldSet()));
                Corpus corpus = "bundled".equals(c.rag().corpus()) ? Corpus.bundled() : Corpus.of(Files.readAllBytes(Path.of(c.rag().corpus())));
                RagProbe rag = new RagProbe(r.name(), r.retrieveUrl(), c.observer(), gold, corpus, c.rag().k(), timeout, sink);
                rag.start(Duration.ofSeconds(c.rag().periodS()));
                started.add(rag);
                out.printf("rag      %s: %d gold questions × 4 phrasings every %d s, k=%d%n", r.name(), gold.questions().size(),
                        c.rag().periodS(), c.rag().k());
            }
        }
        ScheduledExecutorService backlogTimer = Executors.newSingleThreadScheduledExecutor();
        started.add(backlogTimer::shutdownNow);
        for (ProbeConfig.Backlog b : c.backlog()) {
            KafkaBacklogProbe p = new KafkaBacklogProbe(b.kafkaConfig() == null ? client
                    : KafkaClientConfig.load(null, Path.of(b.kafkaConfig()), System.getenv()), b.group(), b.topic(), b.region(), c.observer());
            started.add(p);
            backlogTimer.scheduleAtFixedRate(() -> {
                try {
                    p.publishTo(sink);
                } catch (RuntimeException e) {
                    spec.commandLine().getErr().println("backlog  " + b.group() + ": " + DrillCli.oneLine(e));
                }
            }, 0, 1, TimeUnit.SECONDS);
            out.printf("backlog  %s: consumer group %s on %s every second%n", b.region(), b.group(), b.topic());
        }
        out.println("publishing to " + kafka.topics().telemetry() + " on " + kafka.bootstrap() + "; Ctrl-C stops");
        out.flush();
        return started.await() ? DrillCli.VERDICT_FAILED : DrillCli.OK;
    }

    private static String statusKinds(io.failoverdrill.probes.StatusEndpoints s) {
        java.util.List<String> kinds = new java.util.ArrayList<>();
        if (s.health() != null) {
            kinds.add("health " + s.health().url());
        }
        if (s.indexMeta() != null) {
            kinds.add("index_meta " + s.indexMeta().url());
        }
        if (s.cache() != null) {
            kinds.add("cache " + s.cache().url());
        }
        if (s.backlog() != null) {
            kinds.add("backlog " + s.backlog().url());
        }
        return String.join(", ", kinds);
    }

    /** The client properties, once the cluster answers and the telemetry topic exists with its layout and ACLs. */
    private java.util.Map<String, Object> checkedClient() {
        var client = kafka.reachableClient();
        // a producer starting first on a broker with auto-create on would leave a 1-partition telemetry topic
        io.failoverdrill.engine.kafka.TopicPermissions.check(client, kafka.topics(), io.failoverdrill.engine.kafka.AclPlan.Role.PROBE);
        io.failoverdrill.engine.kafka.TopicProvisioner.verify(client, kafka.topics(), java.util.List.of(kafka.topics().telemetry()));
        return client;
    }

    /**
     * The telemetry sink of a probing command: the first event the broker does not take (a deleted topic, a revoked ACL,
     * a cluster gone for longer than the producer's delivery timeout) ends the command with exit 1, so that a supervisor
     * restarts it instead of a probe that publishes nothing.
     */
    private KafkaTelemetrySink sink(java.util.Map<String, Object> client, UntilStopped started, java.io.PrintWriter out) {
        java.util.concurrent.atomic.AtomicBoolean said = new java.util.concurrent.atomic.AtomicBoolean();
        KafkaTelemetrySink sink = new KafkaTelemetrySink(client, kafka.topics().telemetry());
        return started.add(sink.onFailure(e -> {
            if (said.compareAndSet(false, true)) {
                synchronized (out) {
                    out.println("probe    stopped: could not publish to " + sink.topic() + ": " + DrillCli.oneLine(e));
                    out.flush();
                }
                started.fail();
            }
        }));
    }

    /** The OTLP bridge: {@link io.failoverdrill.probes.otlp.OtlpBridge}, until Ctrl-C (0) or until it stops on an error (1). */
    private int otlp() throws InterruptedException {
        io.failoverdrill.probes.otlp.OtlpMapping mapping = io.failoverdrill.probes.otlp.OtlpMapping.load(otlpMapping);
        var client = kafka.reachableClient();
        io.failoverdrill.engine.kafka.TopicPermissions.check(client, kafka.topics(), io.failoverdrill.engine.kafka.AclPlan.Role.OTLP_BRIDGE, otlpTopic);
        io.failoverdrill.engine.kafka.TopicProvisioner.verify(client, kafka.topics(), java.util.List.of(kafka.topics().telemetry(), kafka.topics().dlq()));
        var out = spec.commandLine().getOut();
        UntilStopped started = new UntilStopped();
        started.add(new io.failoverdrill.probes.otlp.OtlpBridge(new io.failoverdrill.probes.otlp.OtlpBridge.Wiring(client,
                otlpTopic, kafka.topics().telemetry(), kafka.topics().dlq(), kafka.topics().prefix() + "otlp-bridge", otlpFromEarliest),
                mapping, line -> {
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                })).onFailure(started::fail).start();
        out.println("otlp     " + otlpTopic + " (" + mapping.metric() + ") → " + kafka.topics().telemetry() + ", rejected records → "
                + kafka.topics().dlq() + "; Ctrl-C stops");
        out.flush();
        // a bridge that stopped on an error ends the command, so that a supervisor restarts it
        return started.await() ? DrillCli.VERDICT_FAILED : DrillCli.OK;
    }

    /** The blackbox-exporter bridge: one {@link io.failoverdrill.probes.BlackboxProbe} per target, until Ctrl-C. */
    private int blackbox() throws InterruptedException {
        if (targets.isEmpty()) {
            spec.commandLine().getErr().println("drill probe: --blackbox needs at least one --target REGION=URL");
            return DrillCli.USAGE;
        }
        java.util.Map<String, String> byRegion = new java.util.LinkedHashMap<>();
        for (String t : targets) {
            int eq = t.indexOf('=');
            String region = eq > 0 ? t.substring(0, eq) : "";
            if (!io.failoverdrill.schemas.JsonReader.isRegion(region) || eq == t.length() - 1) {
                spec.commandLine().getErr().println("drill probe: --target must be REGION=URL with a region name, got '" + t + "'");
                return DrillCli.USAGE;
            }
            byRegion.put(region, t.substring(eq + 1));
        }
        var client = checkedClient();
        var out = spec.commandLine().getOut();
        UntilStopped started = new UntilStopped();
        KafkaTelemetrySink sink = sink(client, started, out);
        byRegion.forEach((region, url) -> {
            io.failoverdrill.probes.BlackboxProbe p = started.add(new io.failoverdrill.probes.BlackboxProbe(blackbox, module,
                    region, url, observer, Duration.ofSeconds(30), sink::publish, line -> {
                        synchronized (out) {
                            out.println(line);
                            out.flush();
                        }
                    }));
            p.start(Duration.ofMillis(everyMs));
            out.println("blackbox " + region + ": " + url + " via " + blackbox + " (module " + module + ") every " + everyMs
                    + " ms as " + observer);
        });
        out.println("publishing to " + kafka.topics().telemetry() + "; Ctrl-C stops");
        out.flush();
        return started.await() ? DrillCli.VERDICT_FAILED : DrillCli.OK;
    }
}

package io.failoverdrill.cli;

import io.failoverdrill.rag.IndexArtifact;
import io.failoverdrill.sim.RegionProfile;
import io.failoverdrill.sim.RetrievalIndexes;
import io.failoverdrill.sim.FaultListener;
import io.failoverdrill.sim.SimActuator;
import io.failoverdrill.probes.AppTelemetry;
import io.failoverdrill.sim.SimRegion;
import io.failoverdrill.sim.WebhookEmitter;
import io.failoverdrill.sim.WeightedRouter;
import io.failoverdrill.probes.KafkaTelemetrySink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code drill sim}: simulated regions as real HTTP services (the demo's test bed, for compose or a laptop). With
 * {@code --bootstrap-servers} it also runs the weighted router (user traffic), the webhook emitter and the actuator
 * that applies cutover/clamp commands from Kafka and acks them.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Run simulated regions (HTTP service, retrieval, write ledger, cache, fault admin API), optionally with router and actuator on Kafka.")
final class SimCommand implements Callable<Integer> {
    @Option(names = "--regions", split = ",", defaultValue = "us-east,eu-west", description = "region names (default: ${DEFAULT-VALUE})")
    List<String> regions;

    @Option(names = "--writer", description = "the region that starts as the one writer (default: the first)")
    String writer;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container)")
    String bind;

    @Option(names = "--port-base", defaultValue = "18080", description = "first region listens here, the next on +1 … (default: ${DEFAULT-VALUE})")
    int portBase;

    @Option(names = "--median-ms", defaultValue = "40", description = "median service latency (default: ${DEFAULT-VALUE})")
    double medianMs;

    @Option(names = "--keyset", paramLabel = "FILE",
            description = "the actuator applies only commands signed by an active key of this key set (drill keys); "
                    + "without it unsigned commands are applied — a laptop simulation, never production")
    java.nio.file.Path keyset;

    @Option(names = "--commands", split = ",", paramLabel = "TYPE",
            description = "the command types the simulator's actuator applies (default: all); leave set_weights,stick to "
                    + "drill actuate haproxy when HAProxy is in front of the regions")
    java.util.Set<String> commandTypes;

    @Option(names = "--brownout-ms", defaultValue = "200", description = "latency a brownout fault control event adds (default: ${DEFAULT-VALUE})")
    double brownoutMs;

    @Mixin
    KafkaOptions kafka; // with --bootstrap-servers: also the router, webhooks, actuator and fault listener

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        UntilStopped started = new UntilStopped();
        var out = spec.commandLine().getOut();
        IndexArtifact artifact = RetrievalIndexes.standard(System.currentTimeMillis());
        Map<String, SimRegion> sims = new LinkedHashMap<>();
        int port = portBase;
        long seed = 20261129L;
        for (String name : regions) {
            SimRegion r = new SimRegion(new RegionProfile(name, medianMs, 0.25, 0.5, 0.0, seed++), artifact,
                    new InetSocketAddress(bind, port++));
            started.add(r);
            sims.put(name, r);
            out.printf("region   %s on http://%s:%d (/api /health /index/meta /cache /backlog /write /retrieve /admin/fault)%n",
                    name, bind, port - 1);
        }
        sims.values().forEach(r -> r.setPeers(sims));
        sims.get(writer == null ? regions.get(0) : writer).ledger().promote();
        if (kafka.hasBootstrap()) {
            var client = kafka.reachableClient();
            var topics = kafka.topics();
            io.failoverdrill.engine.kafka.TopicPermissions.check(client, topics, io.failoverdrill.engine.kafka.AclPlan.Role.SIM);
            io.failoverdrill.engine.kafka.TopicProvisioner.verify(client, topics, List.of(topics.telemetry(),
                    topics.cutoverCommands(), topics.clampCommands(), topics.acks(), topics.control()));
            KafkaTelemetrySink sink = new KafkaTelemetrySink(client, topics.telemetry());
            started.add(sink);
            AppTelemetry events = new AppTelemetry(sink::publish, "sim-ledger", System::currentTimeMillis);
            sims.values().forEach(r -> r.setEvents(events));
            Map<String, Integer> weights = new LinkedHashMap<>();
            regions.forEach(r -> weights.put(r, 100 / regions.size()));
            weights.merge(regions.get(0), 100 % regions.size(), Integer::sum);
            WeightedRouter router = new WeightedRouter(sims, weights, 20, 40, seed);
            started.add(router);
            router.start();
            WebhookEmitter webhooks = new WebhookEmitter(writer == null ? regions.get(0) : writer, events);
            started.add(webhooks);
            webhooks.start(1000);
            var keys = keyset == null ? null : io.failoverdrill.schemas.sign.WatchedFile.keySet(keyset, line -> {
                        synchronized (out) {
                            out.println("actuator: " + line);
                            out.flush();
                        }
                    });
            out.println("actuator " + (keys == null ? "applies unsigned commands (no --keyset)"
                    : "verifies signatures: " + keys.get().summary()));
            SimActuator actuator = new SimActuator(new SimActuator.Wiring(client,
                    List.of(topics.cutoverCommands(), topics.clampCommands()), topics.acks(), topics.prefix() + "actuator.sim", keys),
                    sims, router, webhooks, Map.of(artifact.indexHash(), artifact), "sim-actuator", line -> {
                        synchronized (out) {
                            out.println(line);
                            out.flush();
                        }
                    });
            actuator.only(commandTypes);
            started.add(actuator);
            actuator.start();
            started.add(new FaultListener(client, topics.control(), topics.prefix() + "sim-faults", sims, webhooks,
                    brownoutMs, line -> {
                        synchronized (out) {
                            out.println(line);
                            out.flush();
                        }
                    })).start();
            out.println("traffic  router at 20 req/s by weights " + weights + "; actuator on " + topics.cutoverCommands()
                    + ", " + topics.clampCommands() + " → " + topics.acks());
        }
        out.println("Ctrl-C stops");
        out.flush();
        started.await();
        return DrillCli.OK;
    }
}

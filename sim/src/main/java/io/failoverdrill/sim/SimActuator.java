package io.failoverdrill.sim;

import io.failoverdrill.rag.IndexArtifact;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.sign.CommandGate;
import io.failoverdrill.schemas.sign.KeySet;
import io.failoverdrill.schemas.sign.SigningKey;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Applies the engine's commands to the simulated regions and router, and acks each one on the ack topic. Reads the
 * command topics {@code read_committed}; with a key set, applies only commands signed by a trusted key
 * ({@link CommandGate}: unsigned, forged, unknown, retired and replayed commands are acked {@code rejected} with the
 * reason); applies each {@code command_id} once (a redelivered command is acked again, with the same ack event id,
 * and not re-applied); commits its offsets after the acks are sent.
 */
public final class SimActuator implements AutoCloseable {
    /**
     * Where the actuator reads and writes; {@code client}: the user's Kafka client properties; {@code keys}: the
     * trusted signing keys (null: unsigned commands accepted — a laptop simulation, not production).
     */
    public record Wiring(Map<String, Object> client, List<String> commandTopics, String ackTopic, String groupId,
                         java.util.function.Supplier<KeySet> keys) {
        public Wiring(Map<String, Object> client, List<String> commandTopics, String ackTopic, String groupId) {
            this(client, commandTopics, ackTopic, groupId, null);
        }

        public Wiring(String bootstrapServers, List<String> commandTopics, String ackTopic, String groupId) {
            this(SimKafka.plaintext(bootstrapServers), commandTopics, ackTopic, groupId, null);
        }
    }

    private final Wiring wiring;
    private final Map<String, SimRegion> regions;
    private final WeightedRouter router;
    private final WebhookEmitter webhooks;
    private final Map<String, IndexArtifact> artifacts;
    private final String observer;
    private final CommandGate gate;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private final Consumer<String> log;
    private volatile boolean running = true;
    private volatile boolean ignoreFreeze;
    private volatile boolean fakeRebuild;

    /** Negative control: acks freeze_writes without freezing, and promotes even while another region still writes. */
    public void breakFreeze() {
        this.ignoreFreeze = true;
    }

    /** Negative control: acks rebuild_index without rebuilding anything. */
    public void breakRebuild() {
        this.fakeRebuild = true;
    }

    /**
     * @param artifacts index artifacts the sim can rebuild a region from, by INDEX_HASH
     * @param webhooks  the emitter {@code route_webhooks} re-routes (null if the drill has none)
     */
    public SimActuator(Wiring wiring, Map<String, SimRegion> regions, WeightedRouter router, WebhookEmitter webhooks,
                       Map<String, IndexArtifact> artifacts, String observer, Consumer<String> log) {
        this.wiring = wiring;
        this.regions = regions;
        this.router = router;
        this.webhooks = webhooks;
        this.artifacts = Map.copyOf(artifacts);
        this.observer = observer;
        this.log = log;
        this.gate = new CommandGate(wiring.keys(), System::currentTimeMillis);
        this.consumer = SimKafka.readCommittedConsumer(wiring.client(), wiring.groupId(), false);
        this.producer = new KafkaProducer<>(SimKafka.with(wiring.client(), Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0)), new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::loop, "sim-actuator");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        try {
            consumer.subscribe(wiring.commandTopics());
            while (running) {
                List<ProducerRecord<String, byte[]>> acks = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    handle(r, acks);
                }
                if (!acks.isEmpty()) {
                    acks.forEach(producer::send);
                    producer.flush();
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r, List<ProducerRecord<String, byte[]>> acks) {
        Decision d;
        try {
            d = Codec.decodeDecision(r.value());
        } catch (ContractViolation v) {
            log.accept("actuator: ignoring an undecodable command record (" + v.getMessage() + ")");
            return;
        }
        if (!(d instanceof Command c)) {
            return;
        }
        String region = regionOf(c.body());
        CommandGate.Admission admission = gate.admit(c, r.value(), header(r, SigningKey.KID_HEADER), header(r, SigningKey.SIG_HEADER));
        String status = "applied";
        Object detail;
        switch (admission.kind()) {
            case APPLY -> {
                try {
                    detail = apply(c.body());
                } catch (RuntimeException e) {
                    status = "rejected";
                    detail = Map.of("reason", "failed", "detail", String.valueOf(e.getMessage()));
                }
            }
            case REDELIVERY -> detail = admission.detail();
            default -> {
                status = "rejected";
                detail = admission.rejection();
            }
        }
        AckEvent ack = new AckEvent("ack-" + c.commandId() + (admission.kind() == CommandGate.Admission.Kind.REJECT
                ? "-rejected-" + admission.reason() : ""), System.currentTimeMillis(), region, observer, c.commandId(), status, detail);
        acks.add(new ProducerRecord<>(wiring.ackTopic(), region, Codec.encode(ack)));
        log.accept("actuator: " + status + " " + c.type() + " (seq " + c.seq() + ") → " + detail);
    }

    private static byte[] header(ConsumerRecord<String, byte[]> r, String name) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(name);
        return h == null ? null : h.value();
    }

    /** Applies one command; returns what it did, or throws with the reason to reject it. */
    private Object apply(CommandBody body) {
        if (body instanceof CommandBody.SetWeights w) {
            Map<String, Long> before = router.sent();
            router.setWeights(w.weights());
            return Map.of("weights", new TreeMap<>(w.weights()), "requests_so_far", before);
        } else if (body instanceof CommandBody.FreezeWrites f) {
            if (!ignoreFreeze) {
                f.regions().forEach(r -> region(r).ledger().freeze());
            }
            return Map.of("frozen", f.regions());
        } else if (body instanceof CommandBody.UnfreezeWrites u) {
            u.regions().forEach(r -> region(r).ledger().unfreeze());
            return Map.of("unfrozen", u.regions());
        } else if (body instanceof CommandBody.PromoteWriter p) {
            SimRegion target = region(p.region());
            for (SimRegion other : regions.values()) {
                if (!ignoreFreeze && other != target && other.ledger().isWriter()) {
                    throw new IllegalStateException(other.name() + " is still a writer: refusing a second one");
                }
            }
            target.ledger().promote();
            int replayed = target.replayFrom(regions.values());
            return Map.of("writer", p.region(), "replayed_writes", replayed);
        } else if (body instanceof CommandBody.Stick s) {
            router.stick(s.region(), s.minutes());
            return Map.of("stick", s.region(), "minutes", s.minutes());
        } else if (body instanceof CommandBody.RebuildIndex ri) {
            IndexArtifact artifact = artifacts.get(ri.artifactHash());
            if (artifact == null) {
                throw new IllegalArgumentException("no artifact with INDEX_HASH " + ri.artifactHash() + " to rebuild from");
            }
            if (!fakeRebuild) {
                region(ri.region()).rebuildIndex(artifact);
            }
            return Map.of("rebuilt", ri.region(), "index_hash", artifact.indexHash(), "metric", artifact.metric());
        } else if (body instanceof CommandBody.RouteWebhooks rw) {
            if (webhooks == null) {
                throw new IllegalStateException("this simulation emits no webhooks");
            }
            region(rw.emitFrom());
            webhooks.routeTo(rw.emitFrom());
            return Map.of("webhooks_from", rw.emitFrom());
        } else if (body instanceof CommandBody.PurgeCache pc) {
            region(pc.region()).cache().purge();
            return Map.of("purged", pc.region());
        } else if (body instanceof CommandBody.RewarmCache rc) {
            region(rc.region()).cache().rewarm();
            return Map.of("rewarmed", rc.region());
        } else if (body instanceof CommandBody.Clamp c) {
            region(c.region()).clamp(c.concurrencyLimit(), c.retrievalK());
            Map<String, Object> m = new java.util.TreeMap<>();
            m.put("clamped", c.region());
            m.put("concurrency_limit", c.concurrencyLimit());
            m.put("retrieval_k", c.retrievalK());
            return m;
        } else if (body instanceof CommandBody.ReleaseClamp rc) {
            region(rc.region()).clamp(null, null);
            return Map.of("released", rc.region());
        }
        throw new UnsupportedOperationException("the simulator does not model " + body.type() + " yet");
    }

    private SimRegion region(String name) {
        SimRegion r = regions.get(name);
        if (r == null) {
            throw new IllegalArgumentException("unknown region " + name);
        }
        return r;
    }

    /** The region an ack is about: the command's target region, or the region given the most weight. */
    static String regionOf(CommandBody body) {
        Object r = body.fields().get("region");
        if (r instanceof String s) {
            return s;
        }
        if (body instanceof CommandBody.SetWeights w) {
            return w.weights().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        }
        if (body instanceof CommandBody.FreezeWrites f) {
            return f.regions().get(0);
        }
        if (body instanceof CommandBody.UnfreezeWrites u) {
            return u.regions().get(0);
        }
        if (body instanceof CommandBody.RouteWebhooks rw) {
            return rw.emitFrom();
        }
        throw new IllegalArgumentException("no region for " + body.type());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}

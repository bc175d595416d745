package io.failoverdrill.sim;

import io.failoverdrill.actuators.ActuatorException;
import io.failoverdrill.actuators.ActuatorLoop;
import io.failoverdrill.rag.IndexArtifact;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.sign.KeySet;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Applies the engine's commands to the simulated regions and router, through the {@link ActuatorLoop} every
 * actuator shares: with a key set, only commands signed by a trusted key; each {@code command_id} once; acked on the
 * ack topic.
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

    private final Map<String, SimRegion> regions;
    private final WeightedRouter router;
    private final WebhookEmitter webhooks;
    private final Map<String, IndexArtifact> artifacts;
    private final ActuatorLoop loop;
    private volatile java.util.Set<String> commandTypes;
    private volatile java.util.Set<String> leftToOthers = java.util.Set.of();
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
        this.regions = regions;
        this.router = router;
        this.webhooks = webhooks;
        this.artifacts = Map.copyOf(artifacts);
        this.loop = new ActuatorLoop(new ActuatorLoop.Wiring(wiring.client(), wiring.commandTopics(), wiring.ackTopic(),
                wiring.groupId(), wiring.keys()), new io.failoverdrill.actuators.CommandHandler() {
                    @Override
                    public Object apply(io.failoverdrill.schemas.decision.Command c) {
                        return SimActuator.this.apply(c.body());
                    }

                    @Override
                    public boolean handles(io.failoverdrill.schemas.decision.Command c) {
                        return (commandTypes == null || commandTypes.contains(c.type())) && !leftToOthers.contains(c.type());
                    }
                }, observer, log);
    }

    /**
     * Applies only commands of these types, leaving the others to another actuator (e.g. {@code set_weights} and
     * {@code stick} to HAProxy's); null: all.
     */
    public SimActuator only(java.util.Set<String> types) {
        this.commandTypes = types == null ? null : java.util.Set.copyOf(types);
        return this;
    }

    /** Leaves commands of these types to another actuator (e.g. {@code set_weights} and {@code stick} to HAProxy's). */
    public SimActuator leaving(java.util.Set<String> types) {
        this.leftToOthers = java.util.Set.copyOf(types);
        return this;
    }

    public void start() {
        loop.start();
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
                    throw new ActuatorException("second_writer", other.name() + " is still a writer: refusing a second one");
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

    @Override
    public void close() {
        loop.close();
    }
}

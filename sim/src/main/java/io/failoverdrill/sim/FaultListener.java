package io.failoverdrill.sim;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies the {@code fault} control events (docs/contracts.md §2) to the simulated regions, each {@code event_id} once:
 * {@code brownout} adds {@code brownoutMs} of latency, {@code blackhole} drops every connection, {@code index_skew}
 * rebuilds the region's index with a truncating tokenizer, {@code webhook_target_stale} makes the third party keep
 * receiving webhooks from the region. The engine records the same events as evidence only — it must see the fault
 * in the telemetry.
 */
public final class FaultListener implements AutoCloseable {
    private final Map<String, SimRegion> regions;
    private final WebhookEmitter webhooks;
    private final double brownoutMs;
    private final Consumer<String> log;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String controlTopic;
    private final Set<String> seen = new HashSet<>();
    private final Set<String> applied = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    public FaultListener(String bootstrapServers, String controlTopic, String groupId, Map<String, SimRegion> regions,
                         WebhookEmitter webhooks, double brownoutMs, Consumer<String> log) {
        this(SimKafka.plaintext(bootstrapServers), controlTopic, groupId, regions, webhooks, brownoutMs, log);
    }

    /** @param client the user's Kafka client properties */
    public FaultListener(Map<String, Object> client, String controlTopic, String groupId, Map<String, SimRegion> regions,
                         WebhookEmitter webhooks, double brownoutMs, Consumer<String> log) {
        this.regions = regions;
        this.webhooks = webhooks;
        this.brownoutMs = brownoutMs;
        this.log = log;
        this.controlTopic = controlTopic;
        this.consumer = SimKafka.readCommittedConsumer(client, groupId, true);
        this.thread = new Thread(this::loop, "sim-faults");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(controlTopic));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    apply(r.value());
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(byte[] value) {
        InputEvent e;
        try {
            e = Codec.decodeInput(value);
        } catch (ContractViolation v) {
            return; // not ours to judge: the engine dead-letters it
        }
        if (!(e instanceof ControlEvent c) || c.fault() == null || !seen.add(c.eventId())) {
            return;
        }
        SimRegion region = regions.get(c.fault().region());
        if (region == null) {
            log.accept("faults   " + c.fault().kind() + " for unknown region " + c.fault().region() + ": ignored");
            return;
        }
        switch (c.fault().kind()) {
            case "brownout" -> region.setFaults(region.faults().withBrownout(brownoutMs));
            case "blackhole" -> region.setFaults(region.faults().withBlackhole(true));
            case "index_skew" -> region.rebuildIndex(region.index().withTruncatingTokenizer(5));
            case "webhook_target_stale" -> {
                if (webhooks != null) {
                    webhooks.setStaleTarget(region.name());
                }
            }
            default -> {
                return;
            }
        }
        applied.add(c.eventId());
        log.accept("faults   applied " + c.fault().kind() + " to " + region.name() + " (control event " + c.eventId() + ")");
    }

    /** Waits up to {@code timeout} until the fault of control event {@code eventId} was applied; whether it was. */
    public boolean awaitApplied(String eventId, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!applied.contains(eventId) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        return applied.contains(eventId);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(3000);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}

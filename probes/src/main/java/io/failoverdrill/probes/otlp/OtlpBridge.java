package io.failoverdrill.probes.otlp;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.DeadLetters;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Reads the topic the OpenTelemetry Collector's Kafka exporter writes metrics to ({@code otlp_metrics} by default) in
 * its own consumer group and publishes what {@link OtlpMetrics} makes of each record on the telemetry topic (key =
 * region), where drills and guards read it like any probe's. A record with points that could not be read is also
 * written to the dead-letter topic, whole, with the first rejected point's path and reason and every rejection in
 * {@code drill.dlq.detail}. Offsets are committed after what a poll produced is acknowledged; a record read again
 * after a crash gives the same event ids, which the engine counts once.
 */
public final class OtlpBridge implements AutoCloseable {
    /**
     * Where it reads and writes; {@code client}: the user's Kafka client properties; {@code fromEarliest}: a new group
     * starts at the topic's earliest record (default: at its end — metrics already there are history, not the live state).
     */
    public record Wiring(Map<String, Object> client, String otlpTopic, String telemetryTopic, String dlqTopic, String groupId,
                         boolean fromEarliest) {
    }

    /** Counts so far: records read, events published, records dead-lettered. */
    public record Stats(long records, long events, long deadLettered) {
    }

    /** The most rejections one dead letter lists in its detail. */
    static final int DETAIL_REJECTIONS = 20;
    private final Wiring wiring;
    private final OtlpMetrics metrics;
    private final Consumer<String> log;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Set<String> reasonsSaid = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    private volatile boolean started;
    private volatile Runnable onFailure = () -> { };

    /** {@code log}: one line per new kind of rejection, and a failure that stops the bridge. */
    public OtlpBridge(Wiring wiring, OtlpMapping mapping, Consumer<String> log) {
        this.wiring = wiring;
        this.metrics = new OtlpMetrics(mapping);
        this.log = log;
        Map<String, Object> c = new HashMap<>(wiring.client());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, wiring.groupId());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, wiring.fromEarliest() ? "earliest" : "latest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = new HashMap<>(wiring.client());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::loop, "otlp-bridge");
        this.thread.setDaemon(true);
    }

    /** Called once if the bridge stops on an error (after its log line); nothing past what was written is committed. */
    public OtlpBridge onFailure(Runnable listener) {
        this.onFailure = listener;
        return this;
    }

    /** Starts reading on its own thread; {@link #close()} stops it, after the last poll's writes. */
    public OtlpBridge start() {
        started = true;
        thread.start();
        return this;
    }

    /** What it has done so far (records read, events published, records dead-lettered). */
    public Stats stats() {
        return new Stats(records.get(), events.get(), deadLettered.get());
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(wiring.otlpTopic()));
            while (running) {
                List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
                var polled = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    bridge(r, sent);
                }
                producer.flush();
                for (java.util.concurrent.Future<?> f : sent) {
                    f.get(); // a record that was not written stops the bridge before its offset is committed
                }
                if (!polled.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | java.util.concurrent.ExecutionException e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            log.accept("otlp     bridge stopped, nothing committed past what was written: " + cause.getClass().getSimpleName()
                    + ": " + cause.getMessage());
            onFailure.run();
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void bridge(ConsumerRecord<byte[], byte[]> r, List<java.util.concurrent.Future<?>> sent) {
        records.incrementAndGet();
        byte[] value = r.value() == null ? new byte[0] : r.value();
        OtlpMetrics.Decoded d = metrics.decode(value);
        for (TelemetryEvent e : d.events()) {
            sent.add(producer.send(new ProducerRecord<>(wiring.telemetryTopic(), e.region(), Codec.encode(e))));
        }
        events.addAndGet(d.events().size());
        if (d.rejected().isEmpty()) {
            return;
        }
        OtlpMetrics.Rejected first = d.rejected().get(0);
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(wiring.dlqTopic(), key, DeadLetters.kept(value));
        header(dead, DeadLetters.REASON, first.reason());
        header(dead, DeadLetters.PATH, first.path());
        header(dead, DeadLetters.SOURCE, r.topic() + "/" + r.partition() + "@" + r.offset());
        header(dead, DeadLetters.SIZE, Integer.toString(value.length));
        header(dead, DeadLetters.DETAIL, io.failoverdrill.schemas.CanonicalJson.string(d.rejected().stream().limit(DETAIL_REJECTIONS)
                .map(x -> Map.of("path", x.path(), "reason", x.reason())).toList()) + (d.rejected().size() > DETAIL_REJECTIONS
                ? " … " + (d.rejected().size() - DETAIL_REJECTIONS) + " more" : ""));
        sent.add(producer.send(dead));
        deadLettered.incrementAndGet();
        for (OtlpMetrics.Rejected x : d.rejected()) {
            if (reasonsSaid.size() < 100 && reasonsSaid.add(x.reason())) {
                log.accept("otlp     dead-lettered " + r.topic() + "/" + r.partition() + "@" + r.offset() + ": " + x.path() + " " + x.reason());
            }
        }
    }

    private static void header(ProducerRecord<String, byte[]> r, String name, String value) {
        r.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        running = false;
        if (started) {
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ZERO);
        }
        producer.close(Duration.ofSeconds(5));
    }
}

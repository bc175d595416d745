package io.failoverdrill.actuators;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.sign.CommandGate;
import io.failoverdrill.schemas.sign.KeySet;
import io.failoverdrill.schemas.sign.SigningKey;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every actuator's loop: reads the command topics {@code read_committed} in its own consumer group, admits each
 * command through a {@link CommandGate} (signature by a trusted key, not replayed), applies new ones with its
 * {@link CommandHandler}, acks each on the ack topic — {@code applied} with what it observed, or {@code rejected}
 * with {@code {"reason","detail"}} — and commits its offsets after the acks are sent. A redelivered command (same
 * bytes) is acked again, with the same ack event id, and not applied twice — also after a restart: the gate first
 * learns what the group handled before ({@link AppliedBefore}).
 */
public final class ActuatorLoop implements AutoCloseable {
    /**
     * Where the actuator reads and writes; {@code client}: the user's Kafka client properties; {@code keys}: the
     * trusted signing keys (null: unsigned commands accepted — a laptop simulation, not production); {@code firstStart}:
     * where a group that never committed starts reading the command topics, as Kafka's {@code auto.offset.reset}
     * ({@code earliest}, {@code latest}, {@code by_duration:PT15M}) — a group that committed resumes where it stopped.
     */
    public record Wiring(Map<String, Object> client, List<String> commandTopics, String ackTopic, String groupId,
                         Supplier<KeySet> keys, String firstStart) {
        /** Reading every retained command on a first start: for a test bench whose topics are its own. */
        public Wiring(Map<String, Object> client, List<String> commandTopics, String ackTopic, String groupId,
                      Supplier<KeySet> keys) {
            this(client, commandTopics, ackTopic, groupId, keys, "earliest");
        }
    }

    private final Wiring wiring;
    private final CommandHandler handler;
    private final String observer;
    private final Consumer<String> log;
    private final CommandGate gate;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Runnable onFailure = () -> { };

    /** @param observer the ack's {@code observer} (this actuator's name); {@code log}: one line per command */
    public ActuatorLoop(Wiring wiring, CommandHandler handler, String observer, Consumer<String> log) {
        this.wiring = wiring;
        this.handler = handler;
        this.observer = observer;
        this.log = log;
        this.gate = new CommandGate(wiring.keys(), System::currentTimeMillis);
        Map<String, Object> c = new HashMap<>(wiring.client());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, wiring.groupId());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, wiring.firstStart());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = new HashMap<>(wiring.client());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::loop, "actuator-" + observer);
        this.thread.setDaemon(true);
    }

    /**
     * Called once if the loop stops on an error (after its log line): a consumer or producer failure, an ack the
     * broker did not take. The commands of that poll are not committed, so a restarted actuator reads and applies them
     * again: the same state for HAProxy, the same {@code Idempotency-Key} for the HTTP actuator.
     */
    public ActuatorLoop onFailure(Runnable listener) {
        this.onFailure = listener;
        return this;
    }

    /** Starts consuming on its own thread; {@link #close()} stops it. */
    public ActuatorLoop start() {
        thread.start();
        return this;
    }

    private void loop() {
        try {
            int remembered = AppliedBefore.restore(wiring, consumer, handler, observer, gate);
            if (remembered > 0) {
                log.accept("actuator: " + remembered + " command(s) handled before this start remembered: sent again, none is applied again");
            }
            consumer.subscribe(wiring.commandTopics());
            while (running) {
                List<ProducerRecord<String, byte[]>> acks = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    handle(r, acks);
                }
                if (!acks.isEmpty()) {
                    List<java.util.concurrent.Future<?>> sent = acks.stream().<java.util.concurrent.Future<?>>map(producer::send).toList();
                    producer.flush();
                    for (java.util.concurrent.Future<?> f : sent) {
                        f.get(); // an ack that was not written stops the loop before its command's offset is committed
                    }
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | java.util.concurrent.ExecutionException e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            log.accept("actuator stopped, nothing committed past what was acked: " + cause.getClass().getSimpleName()
                    + ": " + cause.getMessage());
            onFailure.run();
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
        if (!(d instanceof Command c) || !handler.handles(c)) {
            return; // not a command, or another actuator's
        }
        String region = regionOf(c.body());
        CommandGate.Admission admission = gate.admit(c, r.value(), header(r, SigningKey.KID_HEADER), header(r, SigningKey.SIG_HEADER));
        String status = "applied";
        Object detail;
        switch (admission.kind()) {
            case APPLY -> {
                try {
                    detail = handler.apply(c);
                } catch (ActuatorException e) {
                    status = "rejected";
                    detail = Map.of("reason", e.reason(), "detail", e.detail() == null ? "" : e.detail());
                } catch (RuntimeException e) {
                    status = "rejected";
                    detail = Map.of("reason", "failed", "detail", String.valueOf(e.getMessage()));
                }
                gate.settled(c.commandId(), new CommandGate.Outcome(status, detail));
            }
            case REDELIVERY -> { // acked as the first time: a refused command is never acked applied later
                status = admission.earlier().status();
                detail = admission.earlier().detail();
            }
            default -> {
                status = "rejected";
                detail = admission.rejection();
            }
        }
        AckEvent ack = new AckEvent("ack-" + c.commandId() + (admission.kind() == CommandGate.Admission.Kind.REJECT
                ? "-rejected-" + admission.reason() : ""), System.currentTimeMillis(), region, observer, c.commandId(), status, detail);
        acks.add(new ProducerRecord<>(wiring.ackTopic(), region, Codec.encode(ack)));
        log.accept("actuator: " + status + " " + c.type() + " (seq " + c.seq() + ") → " + oneLine(String.valueOf(detail)));
    }

    /** The most of a detail (e.g. an HTML error page a target answered with) one log line shows. */
    static final int LOG_DETAIL_CHARS = 500;

    /** {@code text} on one line (runs of white space as one space), cut at {@link #LOG_DETAIL_CHARS}. */
    static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= LOG_DETAIL_CHARS ? flat : flat.substring(0, LOG_DETAIL_CHARS) + " …";
    }

    private static byte[] header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : h.value();
    }

    /** The region an ack is about: the command's target region, or the region given the most weight. */
    public static String regionOf(CommandBody body) {
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

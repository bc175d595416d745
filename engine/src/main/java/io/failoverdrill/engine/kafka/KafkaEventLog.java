package io.failoverdrill.engine.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.failoverdrill.engine.runtime.EventLogPort;
import io.failoverdrill.engine.runtime.InboundRecord;
import io.failoverdrill.engine.runtime.Journal;
import io.failoverdrill.engine.runtime.OutboundRecord;
import io.failoverdrill.schemas.sign.SigningKey;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import reactor.kafka.sender.SenderRecord;
import reactor.kafka.sender.TransactionManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Kafka adapter (the only engine code that imports Reactor Kafka / kafka-clients). Consumes the input topics
 * {@code read_committed}, batch by batch: each poll batch's outputs (commands, decision log, DLQ,
 * journal entry, state snapshot) and its consumed offsets commit in one Kafka transaction — a batch that wrote
 * nothing but its journal entry and state summary may wait up to {@link Options#quietCommit} to share the next one.
 * The transactional id is derived from the drill id, so a second engine for the same drill fences the first;
 * recovery fences before it reads the journal, so nothing can be committed behind its back. The consumer is the drill's one static group member
 * ({@link #staticMemberId}): a restart takes the partitions back at once, and a second engine fences its consumer too.
 */
public final class KafkaEventLog implements EventLogPort {
    /** Where in a batch's life the fault hook is called. */
    public enum Stage { RECEIVED, SENT }

    /** A fault-injection point for crash tests: may throw to kill the pipeline at (batch number, stage). */
    @FunctionalInterface
    public interface FaultHook {
        void at(long batch, Stage stage);
    }

    /**
     * @param maxPollRecords records per batch at most (and so per transaction): a backlog is read in big transactions,
     *                       live traffic arrives in small ones whatever this is
     * @param faultHook      called when a batch was received (before the core sees it) and after its outputs were
     *                       sent but before its transaction commits; a no-op in production
     * @param from           where a first start reads from ({@link StartPosition}); a restart resumes from its
     *                       committed offsets
     * @param host           the {@code drill serve} instance hosting the drill, named in its consumer's client id (so
     *                       {@code drill list} can say where it runs); null for {@code drill run} / {@code drill guard}
     * @param quietCommit    how long a quiet batch — one that wrote nothing but its journal entry (and a drill's state
     *                       summary), which nobody waits for — may wait to commit with later ones; a batch with a
     *                       decision, command, DLQ record or snapshot commits at once, with every batch waiting before
     *                       it. {@link Duration#ZERO}: each batch commits on its own. On a crash, at most this much
     *                       input is read again (nothing visible was written from it)
     */
    public record Options(int maxPollRecords, MeterRegistry meters, FaultHook faultHook, StartPosition from, String host,
                          Duration quietCommit) {
        /** The default {@link #quietCommit}. */
        public static final Duration QUIET_COMMIT = Duration.ofSeconds(1);
        public static final Options DEFAULT = new Options(20_000, null, (n, s) -> { });

        public Options(int maxPollRecords, MeterRegistry meters, FaultHook faultHook) {
            this(maxPollRecords, meters, faultHook, StartPosition.EARLIEST);
        }

        public Options(int maxPollRecords, MeterRegistry meters, FaultHook faultHook, StartPosition from) {
            this(maxPollRecords, meters, faultHook, from, null, QUIET_COMMIT);
        }

        public Options {
            java.util.Objects.requireNonNull(from, "from");
            if (quietCommit == null || quietCommit.isNegative()) {
                throw new IllegalArgumentException("quietCommit must be zero or positive, got " + quietCommit);
            }
        }

        public Options from(StartPosition position) {
            return new Options(maxPollRecords, meters, faultHook, position, host, quietCommit);
        }

        public Options hostedBy(String instance) {
            return new Options(maxPollRecords, meters, faultHook, from, instance, quietCommit);
        }
    }

    /** What one engine hosted by {@code drill serve} may fetch ahead at most, in bytes. */
    public static final int HOSTED_FETCH_BYTES = 8 * 1024 * 1024;

    /** The client-id prefix of a consumer started by a {@code drill serve} instance (Kafka metrics, broker logs): {@code drill-serve:<instance>:<member>}. */
    static final String HOSTED_PREFIX = "drill-serve:";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The transactional producer's retry backoff, in ms (see {@link #process}). */
    static final int RETRY_BACKOFF_MS = 2;

    /** The user's client properties ({@code bootstrap.servers}, security): every client of this log starts from them. */
    private final Map<String, Object> client;
    private final Topics topics;
    private final String drillId;
    private final Options options;
    /** Created in {@link #recover}: reactor-kafka initialises a transactional producer — fencing others — at once. */
    private volatile KafkaSender<String, byte[]> sender;
    private final SenderOptions<String, byte[]> senderOptions;
    private final KafkaReceiver<byte[], byte[]> receiver;
    private final Timer commitTimer;
    private final ConsumerGroupMetadata group;
    private volatile long committedBatches;
    private volatile long takeOverFrom = -1;
    private volatile long takeOverInDoubt = 1;
    private final PartitionsBehind behind = new PartitionsBehind();
    /**
     * What the offsets' metadata says (the latest snapshot, where it and the journal after it are): every commit
     * carries it on, with its count of batches ({@link Snapshots.Mark}).
     */
    private volatile Snapshots.Mark mark = Snapshots.Mark.NONE;
    /** Where the last journal entry this log knows committed is (null: none yet). */
    private volatile Snapshots.Position lastJournal;
    /** Set by {@link #recover}: nothing committed yet, so the first assignment seeks to {@link Options#from}. */
    private volatile boolean firstStart;
    /** The first assignment has been positioned (the engine is consuming from where it should). */
    private volatile boolean positioned;
    /** Where a first start reads: {@link Options#from}, a {@link StartPosition.BeforeStart} resolved by {@link #recover}. */
    private volatile StartPosition from;
    /** For a first start at a time: each input partition's first offset at or after it, or its end offset. */
    private volatile Map<TopicPartition, Long> startOffsets = Map.of();
    private final Rewinds rewinding = new Rewinds();

    public KafkaEventLog(String bootstrapServers, Topics topics, String drillId) {
        this(ClientProperties.of(bootstrapServers), topics, drillId, Options.DEFAULT);
    }

    public KafkaEventLog(String bootstrapServers, Topics topics, String drillId, Options options) {
        this(ClientProperties.of(bootstrapServers), topics, drillId, options);
    }

    /** @param client the user's client properties: {@code bootstrap.servers} and any security settings */
    public KafkaEventLog(Map<String, Object> client, Topics topics, String drillId, Options options) {
        this.client = Map.copyOf(client);
        this.topics = topics;
        this.drillId = drillId;
        this.options = options;
        String id = engineId(topics, drillId);
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        // A transaction's first request waits until the previous transaction's markers are written (the coordinator
        // answers CONCURRENT_TRANSACTIONS until then); the client retries after retry.backoff.ms (100 ms by default)
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, RETRY_BACKOFF_MS);
        MeterRegistry meters = options.meters() == null ? new SimpleMeterRegistry() : options.meters();
        // the clients' own metrics, among them kafka.consumer.fetch.manager.records.lag(.max): the consumer lag
        this.senderOptions = SenderOptions.<String, byte[]>create(p).stopOnError(true).closeTimeout(CLOSE_TIMEOUT)
                .producerListener(new reactor.kafka.sender.MicrometerProducerListener(meters));

        Map<String, Object> c = readCommitted(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, id);
        // Static membership, one member per drill: a restarted engine (a crashed process, a supervisor restart) takes
        // its partitions back at once instead of waiting out the dead member's session (45 s of a blind drill), and
        // a second live engine fences the first's consumer too (FencedInstanceIdException), as it does its producer.
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, staticMemberId(topics, drillId));
        if (options.host() != null) {
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, HOSTED_PREFIX + options.host() + ":" + staticMemberId(topics, drillId));
        }
        this.group = new ConsumerGroupMetadata(id);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, options.maxPollRecords());
        // a backlog is read in big batches, so in few transactions; live traffic is unaffected (a fetch returns as
        // soon as anything is there, fetch.min.bytes 1)
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        if (options.host() != null) {
            // one of many engines in a drill serve process: what each may have fetched and not yet handed over is
            // bounded tighter (the consumer's default lets it hold 50 MiB)
            c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, HOSTED_FETCH_BYTES / 4);
            c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, HOSTED_FETCH_BYTES);
        }
        // maxDelayRebalance 0: on a revocation, reactor-kafka otherwise holds the poll thread (and so the whole
        // group's rebalance) for up to 60 s until every received record is acknowledged — ours never are, their
        // offsets are committed by the transactions — so a second engine joining stalled the drill for a minute
        this.receiver = KafkaReceiver.create(ReceiverOptions.<byte[], byte[]>create(c).subscription(topics.inputs())
                .maxDelayRebalance(Duration.ZERO).closeTimeout(CLOSE_TIMEOUT)
                .addAssignListener(this::position)
                .consumerListener(new reactor.kafka.receiver.MicrometerConsumerListener(meters)));
        this.commitTimer = Timer.builder("drill.transaction.commit")
                .description("send + commit of one transaction (a batch, with the quiet batches waiting before it)")
                .tag(io.failoverdrill.engine.runtime.DrillRuntime.DRILL_TAG, drillId)
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /**
     * On the first assignment of a first start, seeks the input partitions (not the stop topic) to {@link
     * Options#from}; later assignments resume from the committed offsets, as does every restart.
     */
    private void position(java.util.Collection<reactor.kafka.receiver.ReceiverPartition> partitions) {
        if (firstStart && !positioned) {
            for (var p : partitions) {
                if (p.topicPartition().topic().equals(topics.stop())) {
                    continue;
                }
                if (from instanceof StartPosition.Latest) {
                    p.seekToEnd();
                } else if (from instanceof StartPosition.At) {
                    // an offset, not seekToTimestamp: the consumer fetches from it at once, so every partition's lag
                    // is known with the first answer and the event-time merge does not wait on a pending reset
                    Long offset = startOffsets.get(p.topicPartition());
                    if (offset == null) {
                        p.seekToEnd();
                    } else {
                        p.seek(offset);
                    }
                }
            }
        }
        positioned = true;
    }

    /** True once the engine's partitions are assigned and positioned: it is consuming from where it should. */
    public boolean positioned() {
        return positioned;
    }

    /** A byte-array consumer that reads committed records only and never commits offsets itself. */
    static Map<String, Object> readCommitted(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return c;
    }

    /** The engine's transactional id and consumer group for a drill: one per drill under the topic prefix. */
    public static String engineId(Topics topics, String drillId) {
        return topics.prefix() + "engine." + drillId;
    }

    /** Kafka's rule for a {@code group.instance.id} (the same as for a topic name). */
    private static final java.util.regex.Pattern LEGAL_MEMBER_ID = java.util.regex.Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /**
     * The consumer's static {@code group.instance.id}: the {@link #engineId} when Kafka allows it as one (characters
     * {@code [a-zA-Z0-9._-]}, at most 249 of them); otherwise — a drill id may be any string of 1–128 characters —
     * the engine id with every other character replaced by {@code _}, cut to fit, plus a hash of the engine id, so
     * that two drill ids never share a member id.
     */
    public static String staticMemberId(Topics topics, String drillId) {
        String id = engineId(topics, drillId);
        if (LEGAL_MEMBER_ID.matcher(id).matches() && !id.equals(".") && !id.equals("..")) {
            return id;
        }
        String hash = "." + io.failoverdrill.schemas.Sha256.hex(id).substring(0, 16);
        String legal = id.replaceAll("[^a-zA-Z0-9._-]", "_");
        return legal.substring(0, Math.min(legal.length(), 249 - hash.length())) + hash;
    }

    /**
     * Marks this log as a restart of one that had committed {@code committedBatches} batches: {@link #recover} then
     * refuses to take the drill over if another engine has committed since ({@link
     * io.failoverdrill.engine.runtime.EngineSupersededException}).
     */
    public void takeOverOnlyFrom(long committedBatches) {
        takeOverOnlyFrom(committedBatches, 1);
    }

    /**
     * As {@link #takeOverOnlyFrom(long)}, where the last transaction of the log this restarts held {@code inDoubt}
     * batches and may have committed without its answer arriving ({@link #batchesInDoubt}).
     */
    public void takeOverOnlyFrom(long committedBatches, long inDoubt) {
        this.takeOverFrom = committedBatches;
        this.takeOverInDoubt = Math.max(1, inDoubt);
    }

    /** Batches of the transaction committing now (0 when none): it may commit though its answer never arrives. */
    public long batchesInDoubt() {
        return inDoubtBatches;
    }

    /** Batches committed for the drill as this log knows it (journal entries recovered plus its own commits). */
    public long committedBatches() {
        return committedBatches;
    }

    @Override
    public <T> Flux<T> process(Function<Batch, Mono<BatchResult<T>>> handler) {
        if (sender == null) {
            throw new IllegalStateException("recover() first: it creates the transactional producer");
        }
        return new Pipeline<>(handler, sender.transactionManager()).run();
    }

    /**
     * How long closing the producer and the consumer may take. Reactor Kafka's default is unbounded (about 292 years):
     * a close that cannot finish must not hold a stopping process (SIGTERM) for ever; what a close leaves undone is
     * what a crash leaves, and recovery is built for that.
     */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** How long the engine waits without a batch before it looks at what it holds again (an idle tick). */
    static final Duration IDLE_TICK = Duration.ofMillis(500);

    /** Guards the {@link Pipeline}'s shared state and {@link #waiting}: batches and idle ticks take turns. */
    private final Object commitLock = new Object();
    /** Quiet batches handled and not committed yet (see {@link Options#quietCommit}). */
    private final PendingCommit waiting = new PendingCommit();
    /** Batches in the transaction now committing: committed or not, the engine cannot know until it answers. */
    private volatile long inDoubtBatches;
    private volatile Pipeline<?> pipeline;

    /**
     * One run of {@link #process}: the polled batches, one after another, and between them — when no batch came for
     * {@link #IDLE_TICK}, or quiet batches' wait is over — an idle tick: the handler is given an empty batch, so that
     * records it holds back are looked at again (Kafka hands over no empty batch when the input goes quiet), and the
     * waiting quiet batches are committed. A batch and a tick never run at once: a batch arriving during a tick waits
     * for it.
     */
    private final class Pipeline<T> {
        private final Function<Batch, Mono<BatchResult<T>>> handler;
        private final TransactionManager tx;
        private final reactor.core.publisher.Sinks.Many<T> tickResults = reactor.core.publisher.Sinks.many().unicast().onBackpressureBuffer();
        private final reactor.core.publisher.Sinks.Empty<Void> tickFailed = reactor.core.publisher.Sinks.empty();
        /** Batches and ticks under way (guarded by {@link #commitLock}). */
        private int busy;
        private boolean stopped;
        /** The last tick, which a batch arriving waits for. */
        private Mono<Void> lastTick = Mono.empty();
        private reactor.core.Disposable timer;

        Pipeline(Function<Batch, Mono<BatchResult<T>>> handler, TransactionManager tx) {
            this.handler = handler;
            this.tx = tx;
        }

        Flux<T> run() {
            pipeline = this;
            // Not receiveExactlyOnce: it calls consumer.groupMetadata() off the polling thread, which intermittently
            // throws ConcurrentModificationException (and the receiver's consumer proxy refuses groupMetadata()).
            // Offsets are committed with the group id alone: zombie engines are fenced by the transactional id, which
            // is fixed per drill, so the consumer-generation check of KIP-447 adds nothing here.
            // Prefetch 0: the next batch is taken only after this one has been handled (committed, or left waiting).
            Flux<T> batches = receiver.receiveBatch().concatMap(batch -> enter().then(batch.collectList()).flatMap(polled -> {
                options.faultHook().at(committedBatches + waiting.batches(), Stage.RECEIVED);
                var raw = rewinding.isEmpty() ? polled : rewinding.filter(polled);
                behind.handed(raw);
                return handler.apply(new Batch(raw.stream().map(KafkaEventLog::inbound).toList(),
                        receiver.doOnConsumer(behind::read), KafkaEventLog.this::rewind));
            }).flatMapMany(this::settle).concatWith(Mono.<T>fromRunnable(this::leave)), 0); // leave: before the next is asked for
            synchronized (commitLock) {
                schedule();
            }
            // stopped or failed: what waits is not committed (as in a crash, its input is read again by the next engine)
            return Flux.merge(batches, tickResults.asFlux(), tickFailed.asMono().then(Mono.<T>empty()))
                    .doFinally(signal -> stop());
        }

        /** A batch begins: no tick from now on until it is over; returns the tick it must wait for. */
        private Mono<Void> enter() {
            synchronized (commitLock) {
                busy++;
                if (timer != null) {
                    timer.dispose();
                    timer = null;
                }
                return lastTick;
            }
        }

        /** A batch or tick is over: the next tick is due after {@link #IDLE_TICK}, or when quiet batches' wait is over. */
        private void leave() {
            synchronized (commitLock) {
                busy--;
                schedule();
            }
        }

        private void schedule() {
            if (stopped || busy > 0) {
                return;
            }
            if (timer != null) {
                timer.dispose();
            }
            long delay = IDLE_TICK.toNanos();
            if (!waiting.isEmpty()) {
                delay = Math.min(delay, Math.max(0, options.quietCommit().toNanos() - waiting.waitedNanos(System.nanoTime())));
            }
            timer = reactor.core.scheduler.Schedulers.parallel().schedule(this::tick, delay, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        private void tick() {
            Mono<Void> tick;
            synchronized (commitLock) {
                if (stopped || busy > 0) {
                    return; // a batch is under way: it schedules the next tick when it is over
                }
                busy++;
                timer = null;
                tick = handler.apply(new Batch(List.of(), receiver.doOnConsumer(behind::read), KafkaEventLog.this::rewind))
                        .flatMapMany(this::settle)
                        .doOnNext(t -> tickResults.emitNext(t, reactor.core.publisher.Sinks.EmitFailureHandler.FAIL_FAST))
                        .then()
                        .doFinally(signal -> leave())
                        .cache();
                lastTick = tick.onErrorResume(e -> Mono.empty());
            }
            tick.subscribe(v -> { }, tickFailed::tryEmitError);
        }

        private void stop() {
            synchronized (commitLock) {
                stopped = true;
                if (timer != null) {
                    timer.dispose();
                    timer = null;
                }
            }
        }

        /**
         * What a handled batch (or tick) leads to: a quiet batch waits (see {@link Options#quietCommit}); anything
         * else commits at once with the batches waiting before it, and its results follow the commit.
         */
        private Flux<T> settle(BatchResult<T> result) {
            boolean nothingNew = result.outputs().isEmpty() && result.consumed().isEmpty(); // everything held back
            if (nothingNew) {
                result.afterCommit().run();
            }
            PendingCommit due;
            synchronized (commitLock) {
                long now = System.nanoTime();
                if (!nothingNew) {
                    waiting.add(result, now);
                }
                boolean mayWait = nothingNew || PendingCommit.quiet(result) && !waiting.full();
                if (waiting.isEmpty() || mayWait && waiting.waitedNanos(now) < options.quietCommit().toNanos()) {
                    return Flux.fromIterable(result.results()); // a quiet batch has none: it commits later
                }
                due = waiting.take();
            }
            return commit(tx, due).thenMany(Flux.fromIterable(result.results()));
        }
    }

    private void stopFlushing() {
        Pipeline<?> p = pipeline;
        if (p != null) {
            p.stop();
        }
    }

    /** One transaction: the batches' offsets, then their outputs in order, then the commit. */
    private Mono<Void> commit(TransactionManager tx, PendingCommit batches) {
        return Mono.defer(() -> {
            // a snapshot among them: it and the journal entries get one stamp, which the offsets' metadata names —
            // where it will be is known only once sent, so this commit names the last journal entry known before it
            String snapshotBatch = batches.snapshotBatch();
            Long stamp = snapshotBatch == null ? null : System.currentTimeMillis();
            long total = committedBatches + batches.batches();
            Snapshots.Mark committing = snapshotBatch == null ? mark.withBatches(total)
                    : new Snapshots.Mark(new Snapshots.Ref(Long.parseLong(snapshotBatch), stamp), null, lastJournal, total);
            Map<TopicPartition, OffsetAndMetadata> offsets = batches.offsets(committing.metadata());
            long first = committedBatches;
            SentPositions sent = new SentPositions(batches.outputs());
            inDoubtBatches = batches.batches();
            long started = System.nanoTime();
            // The offsets go first: when the previous transaction is still completing, the offsets request is retried
            // after the producer's short retry.backoff.ms, while a produce request that comes first is retried only
            // after 20 ms (the broker's add.partitions.to.txn.retry.backoff.ms; with transaction version 1 the client's
            // fixed AddPartitionsToTxn backoff) — which every command whose ack arrived right after it paid. Once the
            // offsets are in, the previous transaction is complete.
            return tx.<Void>begin()
                    .then(tx.<Void>sendOffsets(offsets, group))
                    .thenMany(sender.send(Flux.fromIterable(batches.outputs()).index()
                            .map(o -> toSenderRecord(o.getT2(), stamp, o.getT1().intValue()))).doOnNext(sent::note))
                    .then(Mono.fromRunnable(() -> {
                        for (long b = first; b < first + batches.batches(); b++) {
                            options.faultHook().at(b, Stage.SENT);
                        }
                    }))
                    .then(tx.<Void>commit())
                    .onErrorResume(e -> tx.<Void>abort().onErrorResume(ignored -> Mono.empty()).then(Mono.error(e)))
                    .doOnSuccess(v -> {
                        committedBatches += batches.batches();
                        inDoubtBatches = 0;
                        // what the next commits name: the snapshot and the journal after it, now at known places
                        mark = snapshotBatch == null
                                ? new Snapshots.Mark(mark.snapshot(), mark.state(),
                                        mark.journal() != null ? mark.journal() : sent.firstJournal, total)
                                : new Snapshots.Mark(committing.snapshot(), sent.snapshot, sent.firstJournal, total);
                        lastJournal = sent.lastJournal != null ? sent.lastJournal : lastJournal;
                        commitTimer.record(Duration.ofNanos(System.nanoTime() - started));
                        batches.committed();
                    });
        });
    }

    /**
     * Seeks each partition ({@code topic/partition}) back to its offset, on the consumer's thread; until a partition's
     * records arrive from there again, what was polled before the seek is dropped ({@link Rewinds}).
     */
    private Mono<Void> rewind(Map<String, Long> offsets) {
        return receiver.doOnConsumer(consumer -> {
            for (TopicPartition tp : consumer.assignment()) {
                Long offset = offsets.get(PartitionsBehind.key(tp));
                if (offset != null) {
                    rewinding.expect(tp, offset, consumer.position(tp));
                    behind.rewound(tp, offset);
                    consumer.seek(tp, offset);
                }
            }
            return true;
        }).then();
    }

    private static InboundRecord inbound(ConsumerRecord<byte[], byte[]> r) {
        org.apache.kafka.common.header.Headers h = r.headers();
        if (!h.iterator().hasNext()) {
            return new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value());
        }
        return new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(), header(h, SigningKey.KID_HEADER),
                header(h, SigningKey.SIG_HEADER), header(h, SigningKey.CLEARS_HEADER));
    }

    private static byte[] header(org.apache.kafka.common.header.Headers headers, String name) {
        org.apache.kafka.common.header.Header h = headers.lastHeader(name);
        return h == null ? null : h.value();
    }

    /** Where a transaction's journal entries and snapshot went, from the send results (correlation: output index). */
    private static final class SentPositions {
        private final List<OutboundRecord> outputs;
        Snapshots.Position firstJournal;
        Snapshots.Position lastJournal;
        Snapshots.Position snapshot;

        SentPositions(List<OutboundRecord> outputs) {
            this.outputs = outputs;
        }

        void note(reactor.kafka.sender.SenderResult<Integer> result) {
            OutboundRecord o = outputs.get(result.correlationMetadata());
            if (o.destination() == OutboundRecord.Destination.JOURNAL) {
                Snapshots.Position at = Snapshots.Position.of(result.recordMetadata());
                if (firstJournal == null || at.offset() < firstJournal.offset()) {
                    firstJournal = at;
                }
                if (lastJournal == null || at.offset() > lastJournal.offset()) {
                    lastJournal = at;
                }
            } else if (o.destination() == OutboundRecord.Destination.STATE
                    && o.headers().get(OutboundRecord.SNAPSHOT_BATCH_HEADER) != null) {
                snapshot = Snapshots.Position.of(result.recordMetadata());
            }
        }
    }

    /**
     * {@code stamp}: the timestamp of a snapshot's state and journal records (null: the producer's); {@code index}: the
     * output's place in its transaction, the correlation its send result carries.
     */
    private SenderRecord<String, byte[], Integer> toSenderRecord(OutboundRecord o, Long stamp, int index) {
        Long ts = stamp != null && (o.destination() == OutboundRecord.Destination.STATE
                || o.destination() == OutboundRecord.Destination.JOURNAL) ? stamp : null;
        return SenderRecord.create(producerRecord(topics, o, ts), index);
    }

    /** {@code o} as a record of its destination's topic, its headers as UTF-8; {@code ts} null: the producer's time. */
    static ProducerRecord<String, byte[]> producerRecord(Topics topics, OutboundRecord o, Long ts) {
        ProducerRecord<String, byte[]> pr = new ProducerRecord<>(topics.of(o.destination()), null, ts, o.key(), o.value());
        o.headers().forEach((k, v) -> pr.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        return pr;
    }

    @Override
    public Recovery recover(String drill) {
        if (takeOverFrom >= 0) {
            // a restart: if another engine has committed batches of this drill since we last did, it is the engine
            // now — initTransactions below would fence it, and the two would take the drill from each other in turn.
            // The batches of our own last transaction are allowed: it may have committed without our seeing the answer.
            long now = committed(drill).batches();
            if (now > takeOverFrom + takeOverInDoubt) {
                throw new io.failoverdrill.engine.runtime.EngineSupersededException("another engine has committed "
                        + (now - takeOverFrom) + " batches of drill '" + drill + "' since this one last did: not taking it back");
            }
        }
        // creating the transactional producer runs initTransactions: any other engine of this drill is fenced now
        sender = KafkaSender.create(senderOptions);
        sender.doOnProducer(p -> Boolean.TRUE).block(Duration.ofSeconds(60));
        Committed c = committed(drill);
        firstStart = c.batches() == 0;
        from = firstStart && options.from() instanceof StartPosition.BeforeStart before ? beforeStart(drill, before) : options.from();
        if (firstStart && from instanceof StartPosition.At at) {
            startOffsets = offsetsAt(at.epochMs());
        }
        committedBatches = c.batches();
        Snapshots.Found state = c.snapshot() == null ? null : Snapshots.read(readCommitted(client), topics, drill, c.mark());
        Snapshots.Position journalFrom = c.journal().from();
        mark = new Snapshots.Mark(c.snapshot(), state == null ? null : state.at(), journalFrom, c.batches());
        lastJournal = c.journal().last() != null ? c.journal().last() : journalFrom;
        return new Recovery(state == null ? null : Snapshots.whole(readCommitted(client), topics, drill, c.snapshot(), state),
                c.snapshot() == null ? 0 : c.snapshot().batch() + 1,
                fetch(c.entries()));
    }

    /**
     * Resolves a drill's {@link StartPosition.BeforeStart}: the look-back before the publish time of its first
     * {@code start} control record, or before now while there is none. With one input topic ({@code --single-input})
     * finding the start would mean reading all of it: that layout reads from the earliest record.
     */
    private StartPosition beforeStart(String drill, StartPosition.BeforeStart before) {
        if (topics.singleInput()) {
            return StartPosition.EARLIEST;
        }
        long[] firstStartMs = {Long.MAX_VALUE};
        TopicScan.scan(readCommitted(client), topics.control(), p -> true, 0, r -> {
            if (r.timestamp() < firstStartMs[0] && isStartOf(drill, r.value())) {
                firstStartMs[0] = r.timestamp();
            }
            return false;
        });
        return new StartPosition.At(Math.min(firstStartMs[0], System.currentTimeMillis()) - before.lookBackMs());
    }

    /**
     * The first offset of each input partition (not the stop topic) stamped at or after {@code epochMs}, or its end
     * offset when there is none: explicit offsets, so that no partition waits on an offset reset.
     */
    private Map<TopicPartition, Long> offsetsAt(long epochMs) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(TopicScan.oneShot(readCommitted(client)))) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : topics.inputs()) {
                if (!topic.equals(topics.stop())) {
                    consumer.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
                }
            }
            return Map.copyOf(TopicScan.offsetsAt(consumer, parts, epochMs));
        }
    }

    private static boolean isStartOf(String drill, byte[] value) {
        try {
            return io.failoverdrill.schemas.Codec.decodeInput(value) instanceof io.failoverdrill.schemas.event.ControlEvent c
                    && c.starts(drill);
        } catch (RuntimeException e) { // not a control record (a DLQ case for the engine): not the start
            return false;
        }
    }

    /** Where a first start of this log reads (resolved by {@link #recover}); a restart resumes where it committed. */
    public StartPosition startPosition() {
        return from;
    }

    /** What is committed for a drill: the mark of its latest commit, and the journal entries after its snapshot. */
    private record Committed(Snapshots.Mark mark, Snapshots.JournalTail journal) {
        Snapshots.Ref snapshot() {
            return mark.snapshot();
        }

        List<Journal.Entry> entries() {
            return journal.entries();
        }

        long batches() {
            return (snapshot() == null ? 0 : snapshot().batch() + 1) + entries().size();
        }
    }

    private Committed committed(String drill) {
        Snapshots.Mark found = Snapshots.latestMark(client, engineId(topics, drill));
        Snapshots.Mark latest = found == null ? Snapshots.Mark.NONE : found;
        return new Committed(latest, Snapshots.journalAfter(readCommitted(client), topics, drill, latest));
    }

    /** Decodes a journal record's value. */
    static Journal.Entry journalEntry(byte[] value, Topics topics) {
        try {
            return Journal.decode(JSON.readTree(value));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable journal entry on " + topics.journal(), e);
        }
    }

    /** Every committed journal entry of {@code drill}, in order. */
    public static List<Journal.Entry> readJournal(String bootstrapServers, Topics topics, String drill) {
        return readJournal(ClientProperties.of(bootstrapServers), topics, drill);
    }

    public static List<Journal.Entry> readJournal(Map<String, Object> client, Topics topics, String drill) {
        List<Journal.Entry> out = new ArrayList<>();
        byte[] key = drill.getBytes(StandardCharsets.UTF_8);
        TopicScan.scan(readCommitted(client), topics.journal(), p -> true, 0, r -> {
            if (java.util.Arrays.equals(key, r.key())) {
                out.add(journalEntry(r.value(), topics));
            }
            return false;
        });
        return out;
    }

    /** The input records the journal entries name, batch by batch, in journal order. */
    public List<List<InboundRecord>> fetch(List<Journal.Entry> entries) {
        return fetch(client, entries);
    }

    /**
     * Every partition the journal names is assigned once and read forward from the first offset it needs; while the
     * records of one partition are taken, the others are paused, so nothing is buffered that is not asked for next
     * and switching partitions costs no seek (a run that goes back — a rewind — seeks that partition alone).
     */
    public static List<List<InboundRecord>> fetch(Map<String, Object> client, List<Journal.Entry> entries) {
        Map<String, Object> c = TopicScan.oneShot(readCommitted(client));
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<List<InboundRecord>> out = new ArrayList<>();
        Map<TopicPartition, Long> first = new java.util.LinkedHashMap<>();
        Map<TopicPartition, String> firstDrill = new HashMap<>();
        for (Journal.Entry e : entries) {
            for (Journal.Run run : e.runs()) {
                TopicPartition tp = new TopicPartition(run.topic(), run.partition());
                if (first.putIfAbsent(tp, run.fromOffset()) == null) {
                    firstDrill.put(tp, e.drillId());
                }
            }
        }
        if (first.isEmpty()) {
            entries.forEach(e -> out.add(new ArrayList<>(e.records())));
            return out;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.assign(first.keySet());
            Map<TopicPartition, Long> kept = consumer.beginningOffsets(first.keySet());
            first.forEach((tp, offset) -> {
                if (offset < kept.get(tp)) {
                    throw new BeyondRetentionException(firstDrill.get(tp), tp + "", offset, kept.get(tp));
                }
                consumer.seek(tp, offset);
            });
            consumer.pause(first.keySet());
            Map<TopicPartition, Deque<ConsumerRecord<byte[], byte[]>>> buffered = new HashMap<>();
            TopicPartition reading = null;
            for (Journal.Entry e : entries) {
                List<InboundRecord> batch = new ArrayList<>(e.records());
                for (Journal.Run run : e.runs()) {
                    TopicPartition tp = new TopicPartition(run.topic(), run.partition());
                    if (!tp.equals(reading)) {
                        if (reading != null) {
                            consumer.pause(List.of(reading));
                        }
                        consumer.resume(List.of(tp));
                        reading = tp;
                    }
                    Deque<ConsumerRecord<byte[], byte[]>> buf = buffered.computeIfAbsent(tp, k -> new ArrayDeque<>());
                    for (long next = run.fromOffset(); next < run.fromOffset() + run.count(); next++) {
                        batch.add(inbound(take(consumer, tp, buf, next, e.drillId())));
                    }
                }
                out.add(batch);
            }
        }
        return out;
    }

    /** The record at {@code tp@next}: from what was read ahead, else polled (the partition sought back first if needed). */
    private static ConsumerRecord<byte[], byte[]> take(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp,
                                                       Deque<ConsumerRecord<byte[], byte[]>> buf, long next, String drill) {
        while (!buf.isEmpty() && buf.peekFirst().offset() < next) {
            buf.pollFirst();
        }
        if (buf.isEmpty() ? consumer.position(tp) > next : buf.peekFirst().offset() > next) {
            buf.clear(); // a rewind: the journal reads this partition again from an earlier offset
            consumer.seek(tp, next);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (buf.isEmpty()) {
            consumer.poll(Duration.ofMillis(200)).records(tp).forEach(buf::addLast);
            if (buf.isEmpty() && System.nanoTime() > deadline) {
                throw new IllegalStateException("the journal names " + tp + "@" + next
                        + " but the broker no longer has it (retention?): cannot recover drill " + drill);
            }
        }
        if (buf.peekFirst().offset() != next) {
            throw new IllegalStateException("the journal names " + tp + "@" + next + " but the broker returns @"
                    + buf.peekFirst().offset() + ": cannot recover drill " + drill);
        }
        return buf.pollFirst();
    }

    /** Closes the producer (the receiver closes when its Flux is cancelled). */
    public void close() {
        stopFlushing();
        KafkaSender<String, byte[]> s = sender;
        if (s != null) {
            s.close();
        }
    }
}

package io.failoverdrill.engine.runtime;

import io.failoverdrill.engine.core.DecisionCore;
import io.failoverdrill.schemas.CanonicalJson;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.InputEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Reactor pipeline around the pure core. On start it recovers: the records of every batch already committed
 * for the drill are read back in journal order and fed to a fresh core, outputs discarded (they are already on the
 * topics). Then live batches from the {@link EventLogPort} are decoded, interleaved across partitions by event
 * time ({@link EventTimeMerge}: a partition still behind holds the others back, so catching up on pre-filled topics
 * does not skew the watermark) and fed to the {@link DecisionCore}; the journal records exactly that order; each batch's commands, decision-log lines, DLQ records, journal entry and state snapshot are committed
 * together with its offsets. Batches are processed strictly one after another, so the core is never touched by two
 * threads. A record that fails decoding goes to the DLQ with its reason and source coordinates.
 */
public final class DrillRuntime {
    /** DLQ headers. */
    public static final String H_REASON = io.failoverdrill.schemas.DeadLetters.REASON;
    public static final String H_PATH = io.failoverdrill.schemas.DeadLetters.PATH;
    public static final String H_SOURCE = io.failoverdrill.schemas.DeadLetters.SOURCE;
    /** The original record's size in bytes. */
    public static final String H_SIZE = io.failoverdrill.schemas.DeadLetters.SIZE;
    public static final String H_DETAIL = io.failoverdrill.schemas.DeadLetters.DETAIL;

    private final DecisionCore core;
    private volatile Map<String, Object> progress = Map.of("phase", "idle", "waiting", "telemetry");
    private volatile boolean progressWanted = true;
    private final EventLogPort log;
    private final MeterRegistry meters;
    private final Scheduler blocking;
    private final Clock wallClock;
    private final String drillId;
    private long batchNo;
    private final Map<String, Counter> consumed = new java.util.HashMap<>();
    private final Map<String, Counter> dlq = new java.util.HashMap<>();
    private final Map<String, Counter> decisions = new java.util.HashMap<>();
    private final Map<String, Counter> verdicts = new java.util.HashMap<>();
    private final Map<String, Counter> acks = new java.util.HashMap<>();
    /** Holds at most this many records back while interleaving partitions by event time. */
    static final int MAX_HELD = 25_000;
    private final EventTimeMerge merge;
    /** The last time it was asked, some input partition was still behind. */
    private boolean catchingUp;
    private java.util.function.BiConsumer<InboundRecord, ContractViolation> onRejected = (r, v) -> { };

    private java.util.function.Supplier<io.failoverdrill.schemas.sign.SigningKey> signingKeys = () -> null;
    private io.failoverdrill.schemas.sign.SigningKey signingKey;

    /**
     * Signs every command (Ed25519 over the value bytes, in record headers) with the key {@code keys} gives, asked
     * once per batch — so a rotated key file takes effect at the next batch; a null key: unsigned.
     */
    public DrillRuntime signWith(java.util.function.Supplier<io.failoverdrill.schemas.sign.SigningKey> keys) {
        this.signingKeys = keys;
        return this;
    }

    private InputAuthorizer authorizer = InputAuthorizer.OPEN;

    /** Checks the signatures of stops and control events with {@code authorizer} (default: none). */
    public DrillRuntime authorizeWith(InputAuthorizer authorizer) {
        this.authorizer = authorizer;
        return this;
    }

    /** The default of {@link #snapshotEvery}'s count: consumed records. */
    public static final long DEFAULT_SNAPSHOT_EVERY_RECORDS = 100_000;
    /**
     * The default of {@link #snapshotEvery}'s interval, seconds of wall clock. Short, because it bounds what a guard
     * moved to another instance re-feeds before it decides again: at 1,200 events/s, 600 s let the journal since the
     * snapshot grow to the record count (72,000 records re-fed, 5–8 s of a takeover); 10 s keep it to 12,000. The price
     * is state-topic volume (≈ 8.6 KB/s per guard there), which compaction bounds. The count and the size rule
     * ({@link #SNAPSHOT_BYTES_PER_RECORD}) still decide above 10,000 records/s.
     */
    public static final long DEFAULT_SNAPSHOT_EVERY_S = 10;
    /** A core that keeps snapshots (a guard) writes one after this many consumed records … */
    private long snapshotEveryRecords = DEFAULT_SNAPSHOT_EVERY_RECORDS;
    /** … or this long (wall clock: it bounds how much input recovery needs, whatever the traffic) after the last. */
    private long snapshotEveryMs = DEFAULT_SNAPSHOT_EVERY_S * 1000;
    private boolean snapshots;
    private long recordsSinceSnapshot;
    private long lastSnapshotWallMs;
    /** The size of the last snapshot's core, bytes (0 before the first since this start). */
    private long lastSnapshotBytes;
    /**
     * A snapshot of {@code S} bytes is followed by the next no sooner than {@code S / 32} consumed records later (nor
     * sooner than {@link #snapshotEvery}'s count): at most 32 bytes of snapshot per record consumed, about a tenth of
     * the input's own bytes. A small guard snapshots at the set count; at 100,000 events/s, a 7.5 MB snapshot follows
     * every 235,000 records instead of every 100,000, and recovery re-feeds at most that many.
     */
    static final int SNAPSHOT_BYTES_PER_RECORD = 32;
    /**
     * Above this, a snapshot's core is written in parts of at most this many bytes, each a record of its own (the
     * broker's default record limit is 1 MiB): a guard remembers the event ids of its allowed lateness, about 25 bytes
     * each, so at 10,000 events/s its snapshot outgrows one record.
     */
    static final int MAX_SNAPSHOT_BYTES = 900 * 1024;
    /** At most this many parts (about 56 MiB); a larger snapshot is not written, and recovery needs the journal. */
    static final int MAX_SNAPSHOT_PARTS = 64;
    private int snapshotPartBytes = MAX_SNAPSHOT_BYTES;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * How often a core that keeps snapshots (a guard) writes one to the state topic, in the transaction of a batch:
     * after {@code records} consumed records (more after a large snapshot: {@link #SNAPSHOT_BYTES_PER_RECORD}) or
     * {@code every} of wall-clock time, whichever comes first. Recovery then
     * restores the latest snapshot and reads only the input after it — never input older than the snapshot.
     */
    public DrillRuntime snapshotEvery(long records, java.time.Duration every) {
        if (records < 1 || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("snapshots need records ≥ 1 and a positive interval, got " + records + ", " + every);
        }
        this.snapshotEveryRecords = records;
        this.snapshotEveryMs = every.toMillis();
        return this;
    }

    /**
     * Splits a snapshot larger than {@code bytes} into parts of that size (default {@value #MAX_SNAPSHOT_BYTES}; smaller
     * only to test the parts on a small core).
     */
    public DrillRuntime snapshotPartBytes(int bytes) {
        if (bytes < 1 || bytes > MAX_SNAPSHOT_BYTES) {
            throw new IllegalArgumentException("snapshot parts need 1 to " + MAX_SNAPSHOT_BYTES + " bytes, got " + bytes);
        }
        this.snapshotPartBytes = bytes;
        return this;
    }

    private boolean undecodableReportedElsewhere;

    /**
     * Writes no DLQ record for an input record that breaks the contract (it is still counted and dropped): for the
     * engines of {@code drill serve}, whose group reports each such record once ({@code GroupDeadLetters}). Records
     * refused for a missing signature, which depend on this engine's keys, still go to the DLQ from here.
     */
    public DrillRuntime undecodableReportedElsewhere() {
        this.undecodableReportedElsewhere = true;
        return this;
    }

    /** Called, once its batch committed, for every record that went to the DLQ (e.g. to print a rejected control). */
    public DrillRuntime onRejected(java.util.function.BiConsumer<InboundRecord, ContractViolation> listener) {
        this.onRejected = listener;
        return this;
    }

    public DrillRuntime(DecisionCore core, EventLogPort log, MeterRegistry meters) {
        this(core, log, meters, Schedulers.boundedElastic(), Clock.systemUTC());
    }

    /**
     * @param blocking  where recovery's blocking reads run
     * @param wallClock for the watermark-delay gauge only (never for decisions)
     */
    public DrillRuntime(DecisionCore core, EventLogPort log, MeterRegistry meters, Scheduler blocking, Clock wallClock) {
        this.core = core;
        this.log = log;
        this.meters = meters == null ? new SimpleMeterRegistry() : meters;
        this.blocking = blocking;
        this.wallClock = wallClock;
        this.drillId = core.id();
        this.merge = new EventTimeMerge(MAX_HELD, core.allowedLatenessMs() / 2);
        registerGauges();
    }

    /** The tag every meter of this runtime carries: the drill or guard id (one per hosted drill, so bounded). */
    public static final String DRILL_TAG = "drill";

    private void registerGauges() {
        // a restarted runtime replaces the meters bound to the core it replaces
        for (String name : List.of("drill.events.late", "drill.events.duplicate", "drill.watermark.delay", "drill.seq",
                "drill.clamps.in.force", "drill.phase")) {
            meters.find(name).tag(DRILL_TAG, drillId).meters().forEach(meters::remove);
        }
        FunctionCounter.builder("drill.events.late", core, c -> c.counts().late()).tag(DRILL_TAG, drillId)
                .description("telemetry events that arrived behind the event-time watermark (counted, never used)").register(meters);
        FunctionCounter.builder("drill.events.duplicate", core, c -> c.counts().duplicates()).tag(DRILL_TAG, drillId)
                .description("input events dropped as repeats of an event id already taken").register(meters);
        Gauge.builder("drill.watermark.delay", core, c -> c.watermarkMs() == Long.MIN_VALUE ? Double.NaN
                : (wallClock.millis() - c.watermarkMs()) / 1000.0).baseUnit("seconds").tag(DRILL_TAG, drillId)
                .description("wall-clock now minus the event-time watermark").register(meters);
        Gauge.builder("drill.seq", core, c -> c.lastSeq()).tag(DRILL_TAG, drillId).description("seq of the last decision").register(meters);
        Gauge.builder("drill.clamps.in.force", core, c -> c.clampsInForce()).tag(DRILL_TAG, drillId)
                .description("regions with a clamp in force (clamped, not yet released)").register(meters);
        for (io.failoverdrill.schemas.decision.Phase p : io.failoverdrill.schemas.decision.Phase.values()) {
            Gauge.builder("drill.phase", core, c -> c.phase() == p ? 1 : 0).tag("phase", p.wire()).tag(DRILL_TAG, drillId)
                    .description("1 for the phase the drill (or guard: observe, stopped) is in, 0 for the others").register(meters);
        }
    }

    /**
     * Removes every meter of this drill or guard (tag {@code drill}) from the registry: for a host that stops running
     * it ({@code drill serve}), so that its series end instead of freezing at their last value.
     */
    public void unregisterMeters() {
        meters.getMeters().stream().filter(m -> drillId.equals(m.getId().getTag(DRILL_TAG))
                        && m.getId().getName().startsWith("drill."))
                .toList().forEach(meters::remove);
        consumed.clear();
        dlq.clear();
        decisions.clear();
        verdicts.clear();
        acks.clear();
    }

    /**
     * Recovers, then runs until cancelled; emits every live decision after the transaction holding it committed. A
     * drill that recovery finds {@linkplain DecisionCore#over over} (it ended before this start) reads nothing more:
     * the flux completes without a decision.
     */
    public Flux<Decision> run() {
        return Mono.fromCallable(() -> log.recover(drillId)).subscribeOn(blocking).flatMapMany(past -> {
            snapshots = core.snapshot() != null;
            if (past.snapshot() != null) {
                restore(past.snapshot(), past.firstBatch());
            }
            // outputs discarded: they are committed already; journaled records are fed exactly as they were
            past.batches().forEach(records -> feed(records, decode(records), false));
            recoveredFrom = new Recovered(past.snapshot() != null, past.firstBatch(),
                    past.batches().stream().mapToLong(List::size).sum());
            onRecovered.accept(recoveredFrom);
            lastSnapshotWallMs = wallClock.millis();
            committedState = snapshots ? null : snapshot();
            recovered = true;
            return core.over() ? Flux.<Decision>empty() : log.process(this::handle);
        });
    }

    private volatile boolean recovered;

    /** The value of the last state record committed (a drill's; null for a core that snapshots, or before recovery). */
    private volatile byte[] committedState;

    /**
     * The value of the drill's last committed state record — where it stood after its last committed batch (null for a
     * guard, or before recovery).
     */
    public byte[] committedState() {
        return committedState;
    }

    /**
     * What recovery rebuilt the core from: a snapshot (taken after batch {@code firstBatch - 1}) or not, and how many
     * journaled input records it re-fed.
     */
    public record Recovered(boolean fromSnapshot, long firstBatch, long records) {
    }

    private volatile Recovered recoveredFrom;

    private java.util.function.Consumer<Recovered> onRecovered = r -> { };

    /** Called once recovery is over, with what it rebuilt the core from (e.g. for a console line). */
    public DrillRuntime onRecovered(java.util.function.Consumer<Recovered> listener) {
        this.onRecovered = listener;
        return this;
    }

    /** How the core was recovered (null until {@link #recovered()}). */
    public Recovered recoveredFrom() {
        return recoveredFrom;
    }

    /** Restores the core from a snapshot state record; the next journal batch is {@code nextBatch}. */
    private void restore(byte[] state, long nextBatch) {
        com.fasterxml.jackson.databind.JsonNode core;
        try {
            core = JSON.readTree(state).get("core");
        } catch (java.io.IOException e) {
            throw new SnapshotUnusableException("the snapshot of '" + drillId + "' is not JSON: " + e.getMessage());
        }
        if (core == null) {
            throw new SnapshotUnusableException("the snapshot of '" + drillId + "' holds no core state");
        }
        try {
            this.core.restore(core);
        } catch (IllegalArgumentException e) {
            throw new SnapshotUnusableException(e.getMessage() + ": to start afresh under this policy, give it a new id");
        }
        this.core.stopsInForce().forEach(authorizer::accepted);
        batchNo = nextBatch;
    }

    /** Whether recovery is over and live batches are being read (for a health endpoint). */
    public boolean recovered() {
        return recovered;
    }

    /**
     * A live batch: decoded, merged by event time across partitions, and what may go now fed to the core. Which
     * partitions are still behind is asked only when it can matter — a big batch (catching up) or records held
     * back — so live traffic never waits for the consumer thread.
     */
    private Mono<EventLogPort.BatchResult<Decision>> handle(EventLogPort.Batch batch) {
        List<InboundRecord> received = batch.records();
        Object[] decodedAll = decode(received);
        List<EventTimeMerge.Pending> stops = new ArrayList<>();
        List<InboundRecord> records = received;
        Object[] decoded = decodedAll;
        if (received.stream().anyMatch(InputDecoder::fromStopTopic)) { // stops act on arrival: the merge never holds one
            List<InboundRecord> rest = new ArrayList<>(received.size());
            List<Object> restDecoded = new ArrayList<>(received.size());
            for (int i = 0; i < received.size(); i++) {
                if (InputDecoder.fromStopTopic(received.get(i))) {
                    stops.add(new EventTimeMerge.Pending(received.get(i), decodedAll[i], Long.MIN_VALUE));
                } else {
                    rest.add(received.get(i));
                    restDecoded.add(decodedAll[i]);
                }
            }
            records = rest;
            decoded = restDecoded.toArray();
        }
        return merged(batch, stops, records, decoded);
    }

    /** The merge's part of {@link #handle}: {@code stops} go first, then whatever the merge releases now. */
    private Mono<EventLogPort.BatchResult<Decision>> merged(EventLogPort.Batch batch, List<EventTimeMerge.Pending> stops,
                                                            List<InboundRecord> records, Object[] decoded) {
        boolean mayMatter = records.size() >= CATCH_UP_BATCH || merge.held() > 0 || catchingUp || batchNo == 0;
        Mono<java.util.Set<String>> behind = mayMatter ? batch.behind() : Mono.just(java.util.Set.of());
        return behind.map(InputDecoder::withoutStopTopic).flatMap(b -> {
            catchingUp = !b.isEmpty();
            List<EventTimeMerge.Pending> ready = new ArrayList<>(stops);
            ready.addAll(merge.offer(records, decoded, b));
            Map<String, Long> rewinds = merge.takeRewinds();
            Mono<Void> rewound = rewinds.isEmpty() ? Mono.empty() : batch.rewind().apply(rewinds);
            return rewound.thenReturn(ready.isEmpty() ? new EventLogPort.BatchResult<>(List.<OutboundRecord>of(),
                    List.<Decision>of(), List.<InboundRecord>of()) : feed(ready));
        });
    }

    /** Feeds what the merge released, in its order. */
    private EventLogPort.BatchResult<Decision> feed(List<EventTimeMerge.Pending> ready) {
        List<InboundRecord> fed = new ArrayList<>(ready.size());
        Object[] fedDecoded = new Object[ready.size()];
        for (int i = 0; i < ready.size(); i++) {
            fed.add(ready.get(i).record());
            fedDecoded[i] = ready.get(i).decoded();
        }
        return feed(fed, fedDecoded, true);
    }

    /** The consumed records per topic (a batch comes in runs of one partition). */
    private static Map<String, Integer> consumedPerTopic(List<InboundRecord> records) {
        Map<String, Integer> out = new java.util.HashMap<>(4);
        int run = 0;
        for (int i = 0; i < records.size(); i++) {
            run++;
            String topic = records.get(i).topic();
            if (i + 1 == records.size() || !records.get(i + 1).topic().equals(topic)) {
                out.merge(topic, run, Integer::sum);
                run = 0;
            }
        }
        return out;
    }

    /** The counter {@code name} with {@code tag=value}, registered once and kept in {@code cache}. */
    private Counter counter(Map<String, Counter> cache, String name, String help, String tag, String value) {
        return cache.computeIfAbsent(value, v -> Counter.builder(name).description(help).tag(tag, v).tag(DRILL_TAG, drillId)
                .register(meters));
    }

    /** A batch at least this big means the engine is reading a backlog, where partitions can drift apart. */
    static final int CATCH_UP_BATCH = 256;

    /**
     * Feeds {@code records} in this order; returns the batch's outputs (decisions, DLQ, journal entry, snapshot).
     * {@code live}: records read now, which the {@link InputAuthorizer} checks; otherwise journaled records being
     * recovered, which were accepted when they were read.
     */
    private EventLogPort.BatchResult<Decision> feed(List<InboundRecord> records, Object[] decoded, boolean live) {
        List<OutboundRecord> out = new ArrayList<>();
        List<Decision> made = new ArrayList<>();
        Map<Integer, ContractViolation> rejected = new TreeMap<>();
        List<InboundRecord> journaled = records;
        signingKey = signingKeys.get();
        for (int i = 0; i < decoded.length; i++) {
            InboundRecord r = records.get(i);
            if (decoded[i] instanceof ContractViolation v) {
                rejected.put(i, v);
                if (!undecodableReportedElsewhere) {
                    out.add(deadLetter(r, v));
                }
                if (journaled != records) {
                    journaled.add(r);
                }
                continue;
            }
            InputEvent event = (InputEvent) decoded[i];
            String unauthorized = live ? authorizer.refusal(r, event) : null;
            if (unauthorized != null) { // never reaches the core, nor the journal: replay needs no key
                ContractViolation v = new ContractViolation("$", unauthorized);
                rejected.put(i, v);
                out.add(deadLetter(r, v));
                if (journaled == records) {
                    journaled = new ArrayList<>(records.subList(0, i));
                }
                continue;
            }
            if (journaled != records) {
                journaled.add(r);
            }
            authorizer.accepted(event);
            String refused = core.refusal(event);
            if (refused != null) { // fed all the same: the core drops it, and so does a replay
                ContractViolation v = new ContractViolation("$.action", refused);
                rejected.put(i, v);
                out.add(deadLetter(r, v));
            }
            List<Decision> ds = core.accept(event);
            for (int j = 0; j < ds.size(); j++) { // indexed: most events decide nothing, and List.of() has no shared iterator
                Decision d = ds.get(j);
                made.add(d);
                out.addAll(route(d));
            }
        }
        if (progressWanted) { // only when a display asked: the snapshot costs a sketch merge per region
            progressWanted = false;
            Map<String, Object> snapshot = new java.util.TreeMap<>(core.progress());
            snapshot.put("last_seq", core.lastSeq()); // which decisions the snapshot already includes
            progress = snapshot;
        }
        out.add(new OutboundRecord(OutboundRecord.Destination.JOURNAL, drillId,
                new Journal.Entry(drillId, batchNo++, Journal.runsOf(journaled)).bytes(), Map.of()));
        recordsSinceSnapshot += records.size();
        byte[] summary = snapshots ? null : snapshot();
        if (!snapshots) {
            out.add(new OutboundRecord(OutboundRecord.Destination.STATE, drillId, summary, Map.of()));
        } else if (live && (recordsSinceSnapshot >= recordsBetweenSnapshots()
                || wallClock.millis() - lastSnapshotWallMs >= snapshotEveryMs)) {
            out.addAll(coreSnapshot());
        }
        // what the meters need, taken now: the batch may wait for its commit (a quiet one), and must not keep its records
        Map<String, Integer> perTopic = consumedPerTopic(records);
        List<Map.Entry<InboundRecord, ContractViolation>> refusals = new ArrayList<>(rejected.size());
        rejected.forEach((i, v) -> refusals.add(Map.entry(records.get(i), v)));
        List<String> ackStatuses = new ArrayList<>();
        for (Object e : decoded) {
            if (e instanceof io.failoverdrill.schemas.event.AckEvent a) {
                ackStatuses.add(a.status());
            }
        }
        return new EventLogPort.BatchResult<>(out, made, records, () -> {
            if (summary != null) {
                committedState = summary;
            }
            perTopic.forEach((topic, n) -> counter(consumed, "drill.records.consumed", "input records consumed, by topic",
                    "topic", topic).increment(n));
            refusals.forEach(r -> {
                counter(dlq, "drill.records.dlq", "input records dead-lettered, bad or refused (in drill serve its group "
                        + "writes each bad one once), by source topic", "topic", r.getKey().topic()).increment();
                onRejected.accept(r.getKey(), r.getValue());
            });
            made.forEach(d -> {
                counter(decisions, "drill.decisions", "decisions committed, by type (command types, phase, verdict)",
                        "type", d.type()).increment();
                if (d instanceof io.failoverdrill.schemas.decision.Verdict v) {
                    counter(verdicts, "drill.verdicts", "verdicts committed, by status (pass, fail, not_applicable)",
                            "status", v.status()).increment();
                }
            });
            ackStatuses.forEach(status -> counter(acks, "drill.acks", "actuator acks consumed, by status (applied, rejected, failed, …)",
                    "status", status).increment());
        });
    }

    /**
     * Decodes a batch: each slot holds the {@link InputEvent} or the {@link ContractViolation}. Decoding is pure, so
     * a large batch (a backlog) is decoded on all cores; the core then takes the events strictly in arrival order.
     * Public so that the benchmarks measure exactly this step.
     */
    public static Object[] decode(List<InboundRecord> records) {
        Object[] out = new Object[records.size()];
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, out.length);
        (out.length >= PARALLEL_DECODE_MIN ? range.parallel() : range).forEach(i -> {
            try {
                out[i] = InputDecoder.decode(records.get(i));
            } catch (ContractViolation v) {
                out[i] = v;
            }
        });
        return out;
    }

    /** Batches at least this large are decoded in parallel. */
    static final int PARALLEL_DECODE_MIN = 1024;

    /** The compacted state record: where the drill stands after this batch. */
    private byte[] snapshot() {
        return CanonicalJson.bytes(summary());
    }

    /** Where the drill stands after this batch: batches, last seq, phase, watermark, event counts. */
    private Map<String, Object> summary() {
        Map<String, Object> m = new TreeMap<>();
        m.put("drill_id", drillId);
        m.put("batches", batchNo);
        m.put("last_seq", core.lastSeq());
        m.put("phase", core.phase().wire());
        m.put("watermark_ms", core.watermarkMs() == Long.MIN_VALUE ? null : core.watermarkMs());
        m.put("events", Map.of("received", core.counts().received(), "used", core.counts().used(),
                "late", core.counts().late(), "duplicates", core.counts().duplicates()));
        return m;
    }

    /** Records to consume after the last snapshot before the next: the set count, or more for a large snapshot. */
    private long recordsBetweenSnapshots() {
        return Math.max(snapshotEveryRecords, lastSnapshotBytes / SNAPSHOT_BYTES_PER_RECORD);
    }

    /**
     * The state records of a snapshotting core: the same summary plus {@code core}, the core's whole state, marked with
     * the journal batch it follows ({@link OutboundRecord#SNAPSHOT_BATCH_HEADER}). A core over {@link #snapshotPartBytes}
     * goes in parts ({@link OutboundRecord#SNAPSHOT_PART_HEADER}, keys {@link OutboundRecord#snapshotPartKey}) and the
     * summary names them instead ({@code core_parts}: count, bytes, SHA-256); all in the batch's transaction. None when
     * more than {@link #MAX_SNAPSHOT_PARTS} parts would be needed.
     */
    private List<OutboundRecord> coreSnapshot() {
        recordsSinceSnapshot = 0;
        lastSnapshotWallMs = wallClock.millis();
        String batch = Long.toString(batchNo - 1);
        List<OutboundRecord> out = new ArrayList<>();
        String outcome;
        try {
            byte[] coreBytes = JSON.writeValueAsBytes(core.snapshot());
            lastSnapshotBytes = coreBytes.length;
            com.fasterxml.jackson.databind.node.ObjectNode value = JSON.valueToTree(summary());
            int parts = (coreBytes.length + snapshotPartBytes - 1) / snapshotPartBytes;
            if (coreBytes.length <= snapshotPartBytes) {
                value.putRawValue("core", new com.fasterxml.jackson.databind.util.RawValue(
                        new String(coreBytes, StandardCharsets.UTF_8)));
                outcome = "written";
            } else if (parts <= MAX_SNAPSHOT_PARTS && OutboundRecord.ownKey(drillId)) {
                for (int i = 1; i <= parts; i++) {
                    int from = (i - 1) * snapshotPartBytes;
                    out.add(new OutboundRecord(OutboundRecord.Destination.STATE, OutboundRecord.snapshotPartKey(drillId, i),
                            java.util.Arrays.copyOfRange(coreBytes, from, Math.min(coreBytes.length, from + snapshotPartBytes)),
                            Map.of(OutboundRecord.SNAPSHOT_PART_HEADER, batch + ":" + i + "/" + parts)));
                }
                value.putObject(CORE_PARTS).put("parts", parts).put("bytes", coreBytes.length)
                        .put("sha256", io.failoverdrill.schemas.Sha256.hex(coreBytes));
                outcome = "written_in_parts";
            } else {
                outcome = "too_large";
            }
            if (!outcome.equals("too_large")) {
                out.add(new OutboundRecord(OutboundRecord.Destination.STATE, drillId, JSON.writeValueAsBytes(value),
                        Map.of(OutboundRecord.SNAPSHOT_BATCH_HEADER, batch)));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Counter.builder("drill.snapshots").description("core snapshots taken, by outcome (written, written_in_parts, "
                        + "too_large: only the journal then)")
                .tag("outcome", outcome).tag(DRILL_TAG, drillId).register(meters).increment();
        return out;
    }

    /** The field of a state record whose core snapshot was written in parts: {@code {"parts", "bytes", "sha256"}}. */
    public static final String CORE_PARTS = "core_parts";

    /** Whether a state record holds a core snapshot (a guard's), whole or in parts. */
    public static boolean holdsCore(com.fasterxml.jackson.databind.JsonNode state) {
        return state.has("core") || state.has(CORE_PARTS);
    }

    /**
     * The core's progress as of the last batch fed after the previous call (safe from any thread): each call asks
     * for a fresh snapshot, which the pipeline takes with its next batch — so the hot path pays only when shown.
     */
    public Map<String, Object> progress() {
        progressWanted = true;
        return progress;
    }

    public DecisionCore core() {
        return core;
    }

    /**
     * A decision's records: a command to its command topic — signed, when a key is set, in the headers
     * ({@code drill-sig}, {@code drill-kid}; the value stays the canonical JSON) — and every decision to the log.
     */
    private List<OutboundRecord> route(Decision d) {
        byte[] bytes = Codec.encode(d);
        OutboundRecord logLine = new OutboundRecord(OutboundRecord.Destination.DECISIONS, d.drillId(), bytes, Map.of());
        if (d instanceof Command c) {
            OutboundRecord.Destination dest = core.dryRun() ? OutboundRecord.Destination.DRYRUN_COMMANDS
                    : c.body().family() == CommandBody.Family.CLAMP
                    ? OutboundRecord.Destination.CLAMP_COMMANDS : OutboundRecord.Destination.CUTOVER_COMMANDS;
            Map<String, String> headers = signingKey == null ? Map.of() : signingKey.headers(bytes);
            return List.of(new OutboundRecord(dest, d.drillId(), bytes, headers), logLine);
        }
        return List.of(logLine);
    }

    /** The DLQ record of {@code r}, rejected for {@code v}: its bytes (at most a prefix of an oversized one) and why. */
    public static OutboundRecord deadLetter(InboundRecord r, ContractViolation v) {
        Map<String, String> headers = new TreeMap<>();
        byte[] value = r.value() == null ? new byte[0] : r.value();
        headers.put(H_SOURCE, r.topic() + "/" + r.partition() + "@" + r.offset());
        headers.put(H_SIZE, Integer.toString(value.length));
        if (value.length > Codec.MAX_RECORD_BYTES) {
            // kept whole, it could exceed what the producer or the DLQ topic accepts and jam the engine
            headers.put(H_REASON, "oversized");
            headers.put(H_PATH, "$");
            headers.put(H_DETAIL, "the record is " + value.length + " bytes, more than " + Codec.MAX_RECORD_BYTES
                    + "; its first " + OVERSIZED_KEPT + " bytes are kept");
            value = io.failoverdrill.schemas.DeadLetters.kept(value);
        } else {
            headers.put(H_REASON, v.getMessage());
            headers.put(H_PATH, v.path());
        }
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        return new OutboundRecord(OutboundRecord.Destination.DLQ, key, value, headers);
    }

    /** How much of an oversized record its dead letter keeps. */
    public static final int OVERSIZED_KEPT = io.failoverdrill.schemas.DeadLetters.OVERSIZED_KEPT;
}

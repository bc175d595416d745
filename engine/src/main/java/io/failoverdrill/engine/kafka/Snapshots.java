package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.Journal;
import io.failoverdrill.engine.runtime.OutboundRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Where a core's latest snapshot and the journal after it are, found without reading the state or journal topic from
 * its beginning, so that recovery takes as long after a month as after a minute — and as long with a thousand other
 * drills and guards writing to the same topics as alone. Every transaction commits the consumer offsets with a
 * {@link Mark} in their metadata: the latest snapshot ({@code snapshot:<batch>@<epoch ms>}; that transaction stamps it
 * and its journal entries with the time), the exact positions of that snapshot on the state topic and of the journal
 * entries after it (from the transactions committed before), and how many batches are committed. Recovery reads the
 * group's metadata, reads the snapshot at its offset and the journal partition from its offset on, and checks that it
 * found every batch the mark counts. A mark without positions (the transaction that took the snapshot, a crash before
 * the next one commits, an engine of an earlier version) is found by time instead: the topics are read forward from
 * the snapshot's stamp less {@link #SKEW_MS}, should the broker stamp append times.
 */
final class Snapshots {
    /** The header that marks a state record as a snapshot and names the journal batch it follows. */
    static final String BATCH_HEADER = io.failoverdrill.engine.runtime.OutboundRecord.SNAPSHOT_BATCH_HEADER;
    /** How far before a snapshot's stamp the topics are searched: broker and engine clocks may disagree. */
    static final long SKEW_MS = 5 * 60_000L;

    private Snapshots() {
    }

    /** A snapshot: after journal batch {@code batch}, stamped {@code tsMs}. */
    record Ref(long batch, long tsMs) {
        String metadata() {
            return "snapshot:" + batch + "@" + tsMs;
        }
    }

    /** A record's place: partition and offset (of the state or journal topic). */
    record Position(int partition, long offset) {
        static Position of(org.apache.kafka.clients.producer.RecordMetadata m) {
            return new Position(m.partition(), m.offset());
        }

        static Position of(ConsumerRecord<?, ?> r) {
            return new Position(r.partition(), r.offset());
        }

        @Override
        public String toString() {
            return partition + "@" + offset;
        }

        static Position parse(String text) {
            int at = text.indexOf('@');
            return new Position(Integer.parseInt(text.substring(0, at)), Long.parseLong(text.substring(at + 1)));
        }
    }

    /**
     * What a commit's offset metadata says about a drill or guard: its latest snapshot (null: none), where that snapshot
     * is on the state topic and where the journal entries after it (all of them, without a snapshot) begin — each null
     * when not known — and how many batches are committed with this commit (-1: not said, an earlier version's mark).
     * On the wire: space-separated {@code snapshot:<batch>@<ms>}, {@code state:<partition>@<offset>},
     * {@code journal:<partition>@<offset>}, {@code batches:<n>}, each optional.
     */
    record Mark(Ref snapshot, Position state, Position journal, long batches) {
        static final Mark NONE = new Mark(null, null, null, -1);

        String metadata() {
            StringBuilder b = new StringBuilder();
            if (snapshot != null) {
                b.append(snapshot.metadata());
            }
            if (state != null) {
                b.append(b.isEmpty() ? "" : " ").append("state:").append(state);
            }
            if (journal != null) {
                b.append(b.isEmpty() ? "" : " ").append("journal:").append(journal);
            }
            if (batches >= 0) {
                b.append(b.isEmpty() ? "" : " ").append("batches:").append(batches);
            }
            return b.toString();
        }

        Mark withBatches(long n) {
            return new Mark(snapshot, state, journal, n);
        }

        /** The mark in an offset's metadata, or null (none, or another format). */
        static Mark parse(String metadata) {
            if (metadata == null || metadata.isBlank()) {
                return null;
            }
            Ref snapshot = null;
            Position state = null;
            Position journal = null;
            long batches = -1;
            try {
                for (String field : metadata.trim().split(" +")) {
                    int colon = field.indexOf(':');
                    String value = colon < 0 ? "" : field.substring(colon + 1);
                    switch (colon < 0 ? field : field.substring(0, colon)) {
                        case "snapshot" -> {
                            int at = value.indexOf('@');
                            snapshot = new Ref(Long.parseLong(value.substring(0, at)), Long.parseLong(value.substring(at + 1)));
                        }
                        case "state" -> state = Position.parse(value);
                        case "journal" -> journal = Position.parse(value);
                        case "batches" -> batches = Long.parseLong(value);
                        default -> {
                            return null;
                        }
                    }
                }
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                return null;
            }
            return new Mark(snapshot, state, journal, batches);
        }

        /** Which of two marks a later commit wrote: more batches, else (marks without a count) the later snapshot. */
        static boolean later(Mark a, Mark b) {
            if (a.batches() != b.batches()) {
                return a.batches() > b.batches();
            }
            long sa = a.snapshot() == null ? -1 : a.snapshot().batch();
            long sb = b.snapshot() == null ? -1 : b.snapshot().batch();
            return sa > sb;
        }
    }

    /** The mark of the group's latest commit (over its partitions), or null when it committed none. */
    static Mark latestMark(Map<String, Object> client, String groupId) {
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            Mark latest = null;
            for (OffsetAndMetadata o : offsets.values()) {
                Mark m = o == null ? null : Mark.parse(o.metadata());
                if (m != null && (latest == null || Mark.later(m, latest))) {
                    latest = m;
                }
            }
            return latest;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the offsets of " + groupId, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the committed offsets of " + groupId + ": " + e.getMessage(), e);
        }
    }

    /**
     * A snapshot record's value, where it is on the state topic, and its timestamp; {@code scanned}: how many state
     * records (of every engine) were read to find it.
     */
    record Found(byte[] value, Position at, long timestampMs, long scanned) {
    }

    /**
     * The snapshot {@code mark} names: read at its position when the mark has one (and the record there is it), else
     * read forward on the state topic from its stamp — the record's own timestamp, which the engine sets, so it is
     * among the first read — and, not found there (a topic that stamps records with the broker's append time, its clock
     * behind the engine's), from {@link #SKEW_MS} before it. A snapshot's own commit cannot name its position (the
     * offsets go first in the transaction), so a recovery right after one reads it by its stamp.
     */
    static Found read(Map<String, Object> consumerConfig, Topics topics, String id, Mark mark) {
        Ref ref = mark.snapshot();
        Predicate<ConsumerRecord<byte[], byte[]>> isIt = r -> id.equals(key(r)) && String.valueOf(ref.batch()).equals(header(r, BATCH_HEADER));
        Found[] found = new Found[1];
        long[] scanned = {0};
        Predicate<ConsumerRecord<byte[], byte[]>> look = r -> { // true once found
            scanned[0]++;
            if (isIt.test(r)) {
                found[0] = new Found(r.value(), Position.of(r), r.timestamp(), scanned[0]);
            }
            return found[0] != null;
        };
        if (mark.state() != null) { // one record: the one at the position is it, or the position is stale
            TopicScan.scanFrom(consumerConfig, topics.state(), Map.of(mark.state().partition(), mark.state().offset()),
                    r -> look.test(r) || true);
        }
        for (long fromMs : new long[] {ref.tsMs(), ref.tsMs() - SKEW_MS}) {
            if (found[0] == null) {
                TopicScan.scan(consumerConfig, topics.state(), p -> true, fromMs, look);
            }
        }
        if (found[0] == null) {
            throw new IllegalStateException("the offsets of '" + id + "' name snapshot " + ref.metadata() + ", but "
                    + topics.state() + " no longer holds it: cannot recover");
        }
        return found[0];
    }

    /** How far before a split snapshot's summary its parts are looked for: they were appended in its transaction. */
    static final long PARTS_BEFORE_MS = 60_000L;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * The value of the snapshot {@code found} with its core whole: as found, or — a core written in parts ({@link
     * DrillRuntime#CORE_PARTS}) — with the parts read back from the state topic (from the time of the summary on, every
     * partition, until all are found), joined and checked against the size and SHA-256 the summary names.
     *
     * @throws IllegalStateException naming the snapshot when a part is missing or the parts do not add up
     */
    static byte[] whole(Map<String, Object> consumerConfig, Topics topics, String id, Ref ref, Found found) {
        com.fasterxml.jackson.databind.node.ObjectNode value;
        try {
            value = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(found.value());
        } catch (java.io.IOException | ClassCastException e) {
            return found.value(); // not JSON: restoring it names the problem
        }
        com.fasterxml.jackson.databind.JsonNode named = value.get(DrillRuntime.CORE_PARTS);
        if (named == null) {
            return found.value();
        }
        int n = named.path("parts").intValue();
        byte[][] parts = new byte[n][];
        int[] missing = {n};
        TopicScan.scan(consumerConfig, topics.state(), p -> true, Math.min(ref.tsMs(), found.timestampMs()) - PARTS_BEFORE_MS, r -> {
            String part = header(r, OutboundRecord.SNAPSHOT_PART_HEADER);
            if (part != null && part.startsWith(ref.batch() + ":") && part.endsWith("/" + n)) {
                int i = Integer.parseInt(part.substring(part.indexOf(':') + 1, part.indexOf('/')));
                if (i >= 1 && i <= n && parts[i - 1] == null && OutboundRecord.snapshotPartKey(id, i).equals(key(r))) {
                    parts[i - 1] = r.value();
                    missing[0]--;
                }
            }
            return missing[0] == 0;
        });
        String which = "snapshot " + ref.metadata() + " of '" + id + "'";
        if (missing[0] > 0) {
            throw new IllegalStateException(which + " was written in " + n + " parts; " + missing[0] + " of them are no longer on "
                    + topics.state() + ": cannot recover");
        }
        java.io.ByteArrayOutputStream core = new java.io.ByteArrayOutputStream(named.path("bytes").intValue());
        for (byte[] p : parts) {
            core.writeBytes(p);
        }
        byte[] bytes = core.toByteArray();
        if (bytes.length != named.path("bytes").intValue()
                || !io.failoverdrill.schemas.Sha256.hex(bytes).equals(named.path("sha256").asText())) {
            throw new IllegalStateException("the parts of " + which + " do not add up to what its summary names (bytes, SHA-256): cannot recover");
        }
        value.remove(DrillRuntime.CORE_PARTS);
        value.putRawValue("core", new com.fasterxml.jackson.databind.util.RawValue(new String(bytes, StandardCharsets.UTF_8)));
        try {
            return JSON.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot join the parts of " + which, e);
        }
    }

    /**
     * A drill's journal entries after a batch, in order; {@code from}: a place at or before the first of them (and of
     * any later entry), {@code last}: where the last of them is — each null when not known; {@code scanned}: how many
     * journal records (of every drill) were read to find them.
     */
    record JournalTail(List<Journal.Entry> entries, Position from, Position last, long scanned) {
        JournalTail from(Position position) {
            return new JournalTail(entries, position, last, scanned);
        }
    }

    /**
     * The journal entries of {@code id} after {@code mark}'s snapshot (all of them without one), in order: read from
     * the mark's journal position on, and used when they are every batch the mark counts; otherwise read forward from
     * the snapshot's stamp (from the beginning without a snapshot) on every journal partition.
     */
    static JournalTail journalAfter(Map<String, Object> consumerConfig, Topics topics, String id, Mark mark) {
        long after = mark.snapshot() == null ? -1 : mark.snapshot().batch();
        if (mark.journal() != null && mark.batches() >= 0) {
            JournalTail tail = collect(id, after, topics, consume -> TopicScan.scanFrom(consumerConfig, topics.journal(),
                    Map.of(mark.journal().partition(), mark.journal().offset()), consume));
            if (Journal.firstGap(tail.entries(), after) < 0 && after + 1 + tail.entries().size() == mark.batches()) {
                return tail.from(mark.journal());
            }
        }
        JournalTail tail = collect(id, after, topics, consume -> TopicScan.scan(consumerConfig, topics.journal(), p -> true,
                mark.snapshot() == null ? 0 : mark.snapshot().tsMs() - SKEW_MS, consume));
        int gap = Journal.firstGap(tail.entries(), after);
        if (gap >= 0) {
            throw new IllegalStateException("journal of '" + id + "' after " + (mark.snapshot() == null ? "its start"
                    : "snapshot " + mark.snapshot().metadata()) + " misses batch " + (after + 1 + gap) + " (found "
                    + tail.entries().get(gap).batch() + "): cannot recover");
        }
        return tail;
    }

    /** What {@code scan} hands over of {@code id}'s entries after batch {@code after}. */
    private static JournalTail collect(String id, long after, Topics topics,
                                       java.util.function.Consumer<Predicate<ConsumerRecord<byte[], byte[]>>> scan) {
        List<Journal.Entry> out = new ArrayList<>();
        Position[] firstAndLast = new Position[2];
        Position[] before = new Position[1]; // the last entry up to the snapshot's batch: later ones come after it
        long[] scanned = {0};
        scan.accept(r -> {
            scanned[0]++;
            if (id.equals(key(r))) {
                Journal.Entry e = KafkaEventLog.journalEntry(r.value(), topics);
                if (e.batch() <= after) {
                    before[0] = Position.of(r);
                } else {
                    out.add(e);
                    firstAndLast[1] = Position.of(r);
                    if (firstAndLast[0] == null) {
                        firstAndLast[0] = firstAndLast[1];
                    }
                }
            }
            return false;
        });
        return new JournalTail(out, firstAndLast[0] != null ? firstAndLast[0] : before[0], firstAndLast[1], scanned[0]);
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

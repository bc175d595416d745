package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.runtime.Journal;
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

/**
 * Where a core's latest snapshot is, found without reading the state or journal topic from its beginning, so that
 * recovery takes as long after a month as after a minute. The transaction that writes a snapshot (to the compacted
 * state topic, key = the drill or guard id) stamps it and the batch's journal entry with one timestamp and commits
 * the consumer offsets with the metadata {@code snapshot:<batch>@<epoch ms>} — every later commit carries it on. So
 * recovery reads the group's offset metadata, seeks the state and journal topics to that time (less {@link #SKEW_MS},
 * should the broker stamp append times) and reads forward: the snapshot, then the journal entries after its batch.
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

        /** The ref in an offset's metadata, or null (none, or another format). */
        static Ref parse(String metadata) {
            if (metadata == null || !metadata.startsWith("snapshot:") || metadata.indexOf('@') < 0) {
                return null;
            }
            try {
                int at = metadata.indexOf('@');
                return new Ref(Long.parseLong(metadata.substring("snapshot:".length(), at)),
                        Long.parseLong(metadata.substring(at + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** The latest snapshot the group {@code groupId} committed with (the highest batch over its partitions), or null. */
    static Ref latest(Map<String, Object> client, String groupId) {
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            Ref latest = null;
            for (OffsetAndMetadata o : offsets.values()) {
                Ref r = o == null ? null : Ref.parse(o.metadata());
                if (r != null && (latest == null || r.batch() > latest.batch())) {
                    latest = r;
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

    /** The snapshot record's value, read forward from its stamp on the state topic. */
    static byte[] read(Map<String, Object> consumerConfig, Topics topics, String id, Ref ref) {
        byte[][] found = new byte[1][];
        TopicScan.scan(consumerConfig, topics.state(), p -> true, ref.tsMs() - SKEW_MS, r -> {
            if (id.equals(key(r)) && String.valueOf(ref.batch()).equals(header(r, BATCH_HEADER))) {
                found[0] = r.value();
            }
            return found[0] != null;
        });
        if (found[0] == null) {
            throw new IllegalStateException("the offsets of '" + id + "' name snapshot " + ref.metadata() + ", but "
                    + topics.state() + " no longer holds it: cannot recover");
        }
        return found[0];
    }

    /** The journal entries of {@code id} after the snapshot's batch, in order, read forward from its stamp. */
    static List<Journal.Entry> journalAfter(Map<String, Object> consumerConfig, Topics topics, String id, Ref ref) {
        List<Journal.Entry> out = new ArrayList<>();
        TopicScan.scan(consumerConfig, topics.journal(), p -> true, ref.tsMs() - SKEW_MS, r -> {
            if (id.equals(key(r))) {
                Journal.Entry e = KafkaEventLog.journalEntry(r.value(), topics);
                if (e.batch() > ref.batch()) {
                    out.add(e);
                }
            }
            return false;
        });
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).batch() != ref.batch() + 1 + i) {
                throw new IllegalStateException("journal of '" + id + "' after snapshot " + ref.metadata() + " misses batch "
                        + (ref.batch() + 1 + i) + " (found " + out.get(i).batch() + "): cannot recover");
            }
        }
        return out;
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

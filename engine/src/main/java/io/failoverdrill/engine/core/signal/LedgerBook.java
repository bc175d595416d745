package io.failoverdrill.engine.core.signal;

import io.failoverdrill.schemas.Sha256;
import io.failoverdrill.schemas.event.Telemetry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The drill's view of the write ledger and webhook deliveries, as event-time facts. Each fact keeps the earliest
 * {@code ts} it was reported at, so a question "as of time t" has one answer whatever the arrival order; every
 * question is asked over a window {@code [since, until)} — the drill's own time, never what came before its start.
 * Memory grows with the writes and webhooks of one drill (it is the evidence for zero write loss and zero
 * duplicates); it does not grow with probe traffic.
 */
public final class LedgerBook {
    private static final long NEVER = Long.MAX_VALUE;

    /** Earliest ts of acked / enqueued, earliest applied ts per applying region, and the first fact's ts. */
    private static final class WriteFacts {
        long firstMs = NEVER;
        long ackedMs = NEVER;
        long enqueuedMs = NEVER;
        final Map<String, Long> appliedMs = new TreeMap<>();
    }

    /** One delivery: when, from where, and the key recomputed from its fields (null when it carries none). */
    private record Delivery(long tsMs, String from, String reportedKey, String recomputedKey) {
    }

    private final List<String> keyFields;
    private final Map<String, WriteFacts> writes = new HashMap<>();
    private final Map<String, Delivery> webhooks = new HashMap<>(); // event_id → earliest delivery

    /** @param keyFields the fields {@code webhook_policy.dedupe_key} hashes, in order (empty: keys as reported) */
    public LedgerBook(List<String> keyFields) {
        this.keyFields = List.copyOf(keyFields);
    }

    public void write(Telemetry.Write w, long tsMs) {
        WriteFacts f = writes.computeIfAbsent(w.writeId(), k -> new WriteFacts());
        f.firstMs = Math.min(f.firstMs, tsMs);
        switch (w.state()) {
            case "acked" -> f.ackedMs = Math.min(f.ackedMs, tsMs);
            case "enqueued" -> f.enqueuedMs = Math.min(f.enqueuedMs, tsMs);
            default -> f.appliedMs.merge(w.writerRegion(), tsMs, Math::min);
        }
    }

    public void webhook(Telemetry.Webhook h, String eventId, long tsMs) {
        Delivery d = new Delivery(tsMs, h.emittedFrom(), h.dedupeKey(), recompute(h));
        webhooks.merge(eventId, d, (a, b) -> a.tsMs <= b.tsMs ? a : b);
    }

    /** sha256 over the named fields' values, concatenated in the expression's order; null when any is missing. */
    private String recompute(Telemetry.Webhook h) {
        if (keyFields.isEmpty() || h.keyFields() == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (String f : keyFields) {
            Object v = h.keyFields().get(f);
            if (v == null) {
                return null;
            }
            b.append(v instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : v.toString());
        }
        return Sha256.hex(b.toString());
    }

    /**
     * The write ledger over {@code [sinceMs, untilMs)} (writes whose first fact falls in it): acked, applied, lost
     * (acked but never applied), applied twice, and writes applied by a region that was not the one writer — before
     * the promotion was decided ({@code promotionMs}) anyone but the first region seen applying, once it was applied
     * ({@code writerSinceMs}) anyone but {@code writer}, and in between anyone but those two (the hand-over).
     */
    public WriteTally writes(long sinceMs, long untilMs, String writer, long promotionMs, long writerSinceMs) {
        long acked = 0;
        long applied = 0;
        long enqueued = 0;
        Set<String> lost = new TreeSet<>();
        Set<String> twice = new TreeSet<>();
        Set<String> otherWriters = new TreeSet<>();
        long byOtherWriter = 0;
        TreeMap<Long, String> earlyApplies = new TreeMap<>(); // before the promotion: ts → region (who wrote first)
        for (WriteFacts f : writes.values()) {
            if (f.firstMs < sinceMs || f.firstMs >= untilMs) {
                continue;
            }
            f.appliedMs.forEach((region, ts) -> {
                if (ts < Math.min(untilMs, promotionMs)) {
                    earlyApplies.merge(ts, region, (a, b) -> a.compareTo(b) <= 0 ? a : b);
                }
            });
        }
        String firstWriter = earlyApplies.isEmpty() ? null : earlyApplies.firstEntry().getValue();
        for (Map.Entry<String, WriteFacts> e : writes.entrySet()) {
            WriteFacts f = e.getValue();
            if (f.firstMs < sinceMs || f.firstMs >= untilMs) {
                continue;
            }
            long appliedRegions = f.appliedMs.values().stream().filter(t -> t < untilMs).count();
            if (f.enqueuedMs < untilMs) {
                enqueued++;
            }
            if (appliedRegions > 0) {
                applied++;
            }
            if (appliedRegions > 1) {
                twice.add(e.getKey());
            }
            if (f.ackedMs < untilMs) {
                acked++;
                if (appliedRegions == 0) {
                    lost.add(e.getKey());
                }
            }
            for (Map.Entry<String, Long> a : f.appliedMs.entrySet()) {
                long ts = a.getValue();
                String region = a.getKey();
                boolean ok = ts >= writerSinceMs ? region.equals(writer)
                        : ts >= promotionMs ? region.equals(writer) || region.equals(firstWriter)
                        : region.equals(firstWriter);
                if (ts < untilMs && !ok) {
                    byOtherWriter++;
                    otherWriters.add(region);
                }
            }
        }
        return new WriteTally(acked, applied, enqueued, List.copyOf(lost), List.copyOf(twice), byOtherWriter,
                List.copyOf(otherWriters));
    }

    /**
     * Webhook deliveries over {@code [sinceMs, untilMs)}: keys delivered more than once (by the key recomputed from
     * the policy's fields where the event carries them, else as reported), reported keys that differ from the
     * policy's, and deliveries from a region other than {@code emitFrom} once webhooks were routed there.
     */
    public WebhookTally webhooks(long sinceMs, long untilMs, String emitFrom, long routedSinceMs) {
        Map<String, Long> byKey = new TreeMap<>();
        long deliveries = 0;
        long recomputed = 0;
        Set<String> mismatched = new TreeSet<>();
        long wrongSource = 0;
        Set<String> wrongRegions = new TreeSet<>();
        for (Delivery d : webhooks.values()) {
            if (d.tsMs < sinceMs || d.tsMs >= untilMs) {
                continue;
            }
            deliveries++;
            String key = d.recomputedKey != null ? d.recomputedKey : d.reportedKey;
            if (d.recomputedKey != null) {
                recomputed++;
                if (!d.recomputedKey.equals(d.reportedKey)) {
                    mismatched.add(d.reportedKey);
                }
            }
            byKey.merge(key, 1L, Long::sum);
            if (emitFrom != null && d.tsMs >= routedSinceMs && !d.from.equals(emitFrom)) {
                wrongSource++;
                wrongRegions.add(d.from);
            }
        }
        List<String> repeated = byKey.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        return new WebhookTally(deliveries, repeated, wrongSource, List.copyOf(wrongRegions), recomputed,
                List.copyOf(mismatched));
    }
}

package io.failoverdrill.engine.core.signal;

import io.failoverdrill.schemas.event.Telemetry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The drill's view of the write ledger and webhook deliveries, as event-time facts. Each fact keeps the earliest
 * {@code ts} it was reported at, so a question "as of time t" has one answer whatever the arrival order.
 * Memory grows with the writes and webhooks of one drill (it is the evidence for zero write loss and zero
 * duplicates); it does not grow with probe traffic.
 */
public final class LedgerBook {
    private static final long NEVER = Long.MAX_VALUE;

    /** Earliest ts of acked / enqueued, and earliest applied ts per applying region. */
    private static final class WriteFacts {
        long ackedMs = NEVER;
        long enqueuedMs = NEVER;
        final Map<String, Long> appliedMs = new TreeMap<>();
    }

    private final Map<String, WriteFacts> writes = new HashMap<>();
    private final Map<String, Map<String, Long>> webhooksByKey = new HashMap<>(); // dedupe_key → event_id → ts
    private final Map<String, String> webhookSource = new HashMap<>(); // event_id → emitted_from

    public void write(Telemetry.Write w, long tsMs) {
        WriteFacts f = writes.computeIfAbsent(w.writeId(), k -> new WriteFacts());
        switch (w.state()) {
            case "acked" -> f.ackedMs = Math.min(f.ackedMs, tsMs);
            case "enqueued" -> f.enqueuedMs = Math.min(f.enqueuedMs, tsMs);
            default -> f.appliedMs.merge(w.writerRegion(), tsMs, Math::min);
        }
    }

    public void webhook(Telemetry.Webhook h, String eventId, long tsMs) {
        webhooksByKey.computeIfAbsent(h.dedupeKey(), k -> new TreeMap<>()).merge(eventId, tsMs, Math::min);
        webhookSource.put(eventId, h.emittedFrom());
    }

    public boolean hasWebhooks() {
        return !webhooksByKey.isEmpty();
    }

    /** The write ledger as of {@code untilMs}: acked, applied, lost (acked but never applied), applied twice. */
    public WriteTally writes(long untilMs, String writer, long writerSinceMs) {
        long acked = 0;
        long applied = 0;
        long enqueued = 0;
        Set<String> lost = new TreeSet<>();
        Set<String> twice = new TreeSet<>();
        Set<String> otherWriters = new TreeSet<>();
        long byOtherWriter = 0;
        for (Map.Entry<String, WriteFacts> e : writes.entrySet()) {
            WriteFacts f = e.getValue();
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
                if (writer != null && a.getValue() >= writerSinceMs && a.getValue() < untilMs && !a.getKey().equals(writer)) {
                    byOtherWriter++;
                    otherWriters.add(a.getKey());
                }
            }
        }
        return new WriteTally(acked, applied, enqueued, List.copyOf(lost), List.copyOf(twice), byOtherWriter,
                List.copyOf(otherWriters));
    }

    /** Webhook deliveries as of {@code untilMs}: repeated dedupe keys, and deliveries from the wrong region. */
    public WebhookTally webhooks(long untilMs, String emitFrom, long routedSinceMs) {
        long deliveries = 0;
        Set<String> repeated = new TreeSet<>();
        long wrongSource = 0;
        Set<String> wrongRegions = new TreeSet<>();
        for (Map.Entry<String, Map<String, Long>> e : webhooksByKey.entrySet()) {
            long n = 0;
            for (Map.Entry<String, Long> d : e.getValue().entrySet()) {
                if (d.getValue() < untilMs) {
                    n++;
                    String from = webhookSource.get(d.getKey());
                    if (emitFrom != null && d.getValue() >= routedSinceMs && !from.equals(emitFrom)) {
                        wrongSource++;
                        wrongRegions.add(from);
                    }
                }
            }
            deliveries += n;
            if (n > 1) {
                repeated.add(e.getKey());
            }
        }
        return new WebhookTally(deliveries, List.copyOf(repeated), wrongSource, List.copyOf(wrongRegions));
    }
}

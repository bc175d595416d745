package io.failoverdrill.engine.replay;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.runtime.InboundRecord;
import io.failoverdrill.engine.runtime.Journal;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Re-reads a drill from the topics: the journal says which input records the live engine consumed and in which
 * order (late ones included, exactly as it saw them), so feeding those records to a fresh core reproduces the
 * committed decision log byte for byte. {@code fromMs}/{@code toMs} only filter what is written (the whole drill is
 * always replayed, so that every decision rests on the same state it did live).
 */
public final class TopicReplay {
    private TopicReplay() {
    }

    /** Replays the drill from a plaintext cluster at {@code bootstrapServers}. */
    public static FileReplay.Summary run(DrillPlan plan, String bootstrapServers, Topics topics, long fromMs, long toMs,
                                         OutputStream decisions) {
        return run(plan, io.failoverdrill.engine.kafka.ClientProperties.of(bootstrapServers), topics, fromMs, toMs,
                decisions, e -> { });
    }

    /**
     * Replays the drill with the user's client properties; {@code tap} also sees every valid event up to and
     * including the one that ended the drill (what its evidence report covers).
     */
    public static FileReplay.Summary run(DrillPlan plan, Map<String, Object> client, Topics topics, long fromMs, long toMs,
                                         OutputStream decisions, Consumer<InputEvent> tap) {
        DrillCore core = new DrillCore(plan);
        long[] written = new long[1];
        long[] failed = new long[1];
        long[] counts = consumed(client, topics, plan.drillId(), e -> {
            if (!core.phase().terminal()) {
                tap.accept(e); // the report covers the drill: up to the event that ended it
            }
            for (Decision d : core.accept(e)) {
                if (d instanceof Verdict v && v.failed()) {
                    failed[0]++;
                }
                if (d.tsMs() >= fromMs && d.tsMs() <= toMs) {
                    try {
                        decisions.write(Codec.encode(d));
                        decisions.write('\n');
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                    written[0]++;
                }
            }
        });
        try {
            decisions.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new FileReplay.Summary(counts[0], counts[0] - counts[1], counts[1], written[0], failed[0], core.phase().wire());
    }

    /**
     * Feeds {@code sink} every valid input record the live engine consumed for {@code drillId}, in the journal's
     * order; returns {records, rejected}.
     *
     * @throws io.failoverdrill.engine.kafka.BeyondRetentionException when the journal does not hold every batch from
     *                                                                 the first, or the input it names is gone
     */
    public static long[] consumed(Map<String, Object> client, Topics topics, String drillId, Consumer<InputEvent> sink) {
        List<Journal.Entry> journal = KafkaEventLog.readJournal(client, topics, drillId);
        if (journal.isEmpty()) {
            throw new IllegalArgumentException("no journal for drill '" + drillId + "' on " + topics.journal()
                    + " — was it run by an engine with topic prefix '" + topics.prefix() + "'?");
        }
        int gap = Journal.firstGap(journal, -1); // from the start, every batch: a suffix would replay into another state
        if (gap >= 0) {
            throw io.failoverdrill.engine.kafka.BeyondRetentionException.journal(drillId, topics.journal(), gap,
                    journal.get(gap).batch());
        }
        long records = 0;
        long rejected = 0;
        for (List<InboundRecord> batch : KafkaEventLog.fetch(client, journal)) {
            for (InboundRecord r : batch) {
                records++;
                InputEvent e;
                try {
                    e = io.failoverdrill.engine.runtime.InputDecoder.decode(r);
                } catch (ContractViolation v) {
                    rejected++;
                    continue;
                }
                sink.accept(e);
            }
        }
        return new long[]{records, rejected};
    }
}

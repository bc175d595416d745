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

/**
 * Re-reads a drill from the topics: the journal says which input records the live engine consumed and in which
 * order (late ones included, exactly as it saw them), so feeding those records to a fresh core reproduces the
 * committed decision log byte for byte. {@code fromMs}/{@code toMs} only filter what is written (the whole drill is
 * always replayed, so that every decision rests on the same state it did live).
 */
public final class TopicReplay {
    private TopicReplay() {
    }

    public static FileReplay.Summary run(DrillPlan plan, String bootstrapServers, Topics topics, long fromMs, long toMs,
                                         OutputStream decisions) {
        List<Journal.Entry> journal = KafkaEventLog.readJournal(bootstrapServers, topics, plan.drillId());
        if (journal.isEmpty()) {
            throw new IllegalArgumentException("no journal for drill '" + plan.drillId() + "' on " + topics.journal()
                    + " — was it run by an engine with topic prefix '" + topics.prefix() + "'?");
        }
        DrillCore core = new DrillCore(plan);
        long records = 0;
        long rejected = 0;
        long written = 0;
        long failed = 0;
        try {
            for (List<InboundRecord> batch : KafkaEventLog.fetch(bootstrapServers, journal)) {
                for (InboundRecord r : batch) {
                    records++;
                    InputEvent e;
                    try {
                        e = Codec.decodeInput(r.value());
                    } catch (ContractViolation v) {
                        rejected++;
                        continue;
                    }
                    for (Decision d : core.accept(e)) {
                        if (d instanceof Verdict v && !v.pass()) {
                            failed++;
                        }
                        if (d.tsMs() >= fromMs && d.tsMs() <= toMs) {
                            decisions.write(Codec.encode(d));
                            decisions.write('\n');
                            written++;
                        }
                    }
                }
            }
            decisions.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new FileReplay.Summary(records, records - rejected, rejected, written, failed, core.phase().wire());
    }
}

package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.WriteTally;

import java.util.Map;

/**
 * Acceptance target: zero write loss — no write acknowledged to a client since the drill started and never
 * applied. Signal: write events ({@code acked} and {@code applied}).
 */
public final class WriteLoss extends Check {
    public static final String NAME = "write_loss";

    public WriteLoss() {
        super(NAME);
    }

    record Ledger(WriteTally tally) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return tally.toEvidence();
        }
    }

    /** The write ledger from the drill's start to now. */
    static WriteTally tally(DrillFacts facts) {
        Milestones m = facts.milestones();
        return facts.ledgers().writes(m.startedMs(), facts.nowMs(), facts.plan().promoteSurvivor(), m.promotionDecidedMs(),
                m.writerSinceMs());
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        WriteTally t = tally(facts);
        if (t.acked() == 0) {
            return CheckResult.noData(NAME, 0, "write events with state acked from any region since the drill started");
        }
        return new CheckResult(NAME, t.lost() == 0, t.lost(), 0, new Ledger(t));
    }
}

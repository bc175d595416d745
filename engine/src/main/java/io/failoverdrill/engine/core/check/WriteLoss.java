package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.WriteTally;

import java.util.Map;

/** Acceptance target: zero write loss — no write acknowledged to a client and never applied. Signal: write events. */
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

    static WriteTally tally(DrillFacts facts) {
        return facts.ledgers().writes(facts.nowMs(), facts.plan().promoteSurvivor(), facts.milestones().writerSinceMs());
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        WriteTally t = tally(facts);
        return new CheckResult(NAME, t.lost() == 0, t.lost(), 0, new Ledger(t));
    }
}

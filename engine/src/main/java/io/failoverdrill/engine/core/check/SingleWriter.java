package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.WriteTally;

/**
 * Verification: a single survivor takes all writes — no write applied by a region other than the promoted one
 * after the promotion, and none applied twice. Signal: write events.
 */
public final class SingleWriter extends Check {
    public static final String NAME = "single_writer";

    public SingleWriter() {
        super(NAME);
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        WriteTally t = WriteLoss.tally(facts);
        long others = t.appliedByOtherWriter() + t.appliedTwice();
        return new CheckResult(NAME, others == 0, others, 0, new WriteLoss.Ledger(t));
    }
}

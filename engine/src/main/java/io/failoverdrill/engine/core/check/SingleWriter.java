package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.WriteTally;

/**
 * Verification: a single region takes all writes — before the promotion the one region that was applying them,
 * after it only the promoted survivor — and none is applied twice. Signal: write events with state applied.
 */
public final class SingleWriter extends Check {
    public static final String NAME = "single_writer";

    public SingleWriter() {
        super(NAME);
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        WriteTally t = WriteLoss.tally(facts);
        if (t.applied() == 0) {
            return CheckResult.noData(NAME, 0, "write events with state applied from any region since the drill started");
        }
        long others = t.appliedByOtherWriter() + t.appliedTwice();
        return new CheckResult(NAME, others == 0, others, 0, new WriteLoss.Ledger(t));
    }
}

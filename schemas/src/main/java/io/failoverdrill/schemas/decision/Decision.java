package io.failoverdrill.schemas.decision;

import io.failoverdrill.schemas.CanonicalJson;

/**
 * One line of the decision log (docs/contracts.md §5): a command, a phase change or a verdict. {@code seq} is shared
 * by all three kinds within one drill.
 */
public sealed interface Decision extends CanonicalJson.JsonWritable permits Command, PhaseChange, Verdict {
    String drillId();

    long seq();

    /** Event time at which the decision was taken, epoch milliseconds. */
    long tsMs();

    String type();
}

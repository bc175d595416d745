package io.failoverdrill.engine.core.check;

/**
 * One verdict of a drill — a pre-check, a live check, an acceptance target or a post check. Each subclass names
 * the signal it reads and its limit, and returns a {@link CheckResult} with typed evidence. A check whose signal
 * never arrived fails with "no data" evidence; it never passes by default.
 */
public abstract class Check {
    private final String name;

    protected Check(String name) {
        this.name = name;
    }

    /** The verdict's {@code check} name in the decision log. */
    public final String name() {
        return name;
    }

    public abstract CheckResult evaluate(DrillFacts facts);
}

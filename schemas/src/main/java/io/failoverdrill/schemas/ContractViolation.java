package io.failoverdrill.schemas;

/**
 * A record broke a rule of the wire contracts (docs/contracts.md). {@link #path()} is the JSON path of the offending
 * value ({@code $} for the whole record), {@link #rule()} the rule it broke, in words.
 */
public final class ContractViolation extends RuntimeException {
    private final String path;
    private final String rule;

    public ContractViolation(String path, String rule) {
        super(path + ": " + rule, null, false, false);
        this.path = path;
        this.rule = rule;
    }

    public String path() {
        return path;
    }

    public String rule() {
        return rule;
    }
}

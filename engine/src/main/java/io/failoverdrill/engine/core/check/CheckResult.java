package io.failoverdrill.engine.core.check;

import io.failoverdrill.schemas.decision.VerdictStatus;

import java.util.Map;

/** One evaluated check or acceptance target, ready to become a verdict: {@code value} against {@code limit}. */
public record CheckResult(String check, VerdictStatus status, Object value, Object limit, Evidence evidence) {

    public CheckResult(String check, boolean pass, Object value, Object limit, Evidence evidence) {
        this(check, VerdictStatus.of(pass), value, limit, evidence);
    }

    /** A check the plan names but the engine has no rule for: it fails, saying so. */
    public static CheckResult noRule(String check, String stage) {
        return new CheckResult(check, false, null, null, new Evidence.NoRule(stage));
    }

    /** A check whose signal never arrived: it fails ("no data is never a pass"), naming what was missing. */
    public static CheckResult noData(String check, Object limit, String missing) {
        return new CheckResult(check, false, null, limit, new Evidence.NoData(missing));
    }

    /** The plan marks {@code check} not applicable ({@code acceptance.not_applicable}): neither pass nor fail. */
    public static CheckResult notApplicable(String check, String why) {
        return new CheckResult(check, VerdictStatus.NOT_APPLICABLE, null, null, new Evidence.NotApplicable(why));
    }

    public boolean pass() {
        return status == VerdictStatus.PASS;
    }

    public boolean failed() {
        return status == VerdictStatus.FAIL;
    }

    /** The evidence as the decision log writes it. */
    public Map<String, Object> evidenceJson() {
        return evidence.toEvidence();
    }
}

package io.failoverdrill.engine.core;

import java.util.Map;
import java.util.TreeMap;

/** One evaluated check or acceptance target, ready to become a verdict. */
record CheckResult(String check, boolean pass, Object value, Object limit, Map<String, Object> evidence) {
    CheckResult {
        evidence = new TreeMap<>(evidence);
    }

    /** A check the plan names but the engine has no rule for: it fails, saying so. */
    static CheckResult noRule(String check, String stage) {
        return new CheckResult(check, false, null, null, Map.of("reason", "no rule for this " + stage + " check"));
    }

    /** A check whose signal never arrived: it fails ("no data is never a pass"). */
    static CheckResult noData(String check, Object limit, String what) {
        return new CheckResult(check, false, null, limit, Map.of("reason", "no data: " + what));
    }
}

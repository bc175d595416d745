package io.failoverdrill.engine.core.check;

import java.util.Map;

/** What a verdict rests on, as a typed record; {@link #toEvidence()} gives the JSON object the decision log carries. */
public interface Evidence {
    /** The evidence as JSON values (maps, lists, strings, numbers, booleans), for the verdict's {@code evidence}. */
    Map<String, Object> toEvidence();

    /** A check whose signal never arrived: says what was missing ("no data is never a pass"). */
    record NoData(String missing) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("reason", "no data: " + missing);
        }
    }

    /** A check not applicable to this drill, and why (the plan says so, or the drill type injects it on purpose). */
    record NotApplicable(String why) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("reason", "not applicable: " + why);
        }
    }

    /** A check the plan names but the engine has no rule for. */
    record NoRule(String stage) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            return Map.of("reason", "no rule for this " + stage + " check");
        }
    }
}

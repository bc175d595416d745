package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.event.Telemetry;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pre-check: every observer of every region reports {@code ready} (health events). Limit: all true. */
public final class HealthReady extends Check {
    public static final String NAME = "health_ready";

    public HealthReady() {
        super(NAME);
    }

    /** Each region's observers' latest {@code ready} values (empty: no data). */
    record ReadyByRegion(Map<String, List<Boolean>> ready) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            ready.forEach((r, v) -> m.put(r, v.isEmpty() ? "no data" : v));
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        Map<String, List<Boolean>> ready = new TreeMap<>();
        boolean pass = true;
        for (RegionSignals r : facts.regions().values()) {
            List<Boolean> values = Latest.values(r.health(), Telemetry.Health::ready);
            ready.put(r.region(), values);
            pass &= !values.isEmpty() && values.stream().allMatch(Boolean::booleanValue);
        }
        return new CheckResult(NAME, pass, pass, true, new ReadyByRegion(ready));
    }
}

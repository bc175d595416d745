package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.event.Telemetry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Caches are warm: every observer of each judged region reports a hit ratio of at least {@code acceptance.cache_hit_min} and
 * its hot keys present (cache events). {@code cache_warm} judges every region before the drill;
 * {@code cache_rewarmed} the serving regions after it. Value: the lowest hit ratio.
 */
public final class CacheWarm extends Check {
    public static final CacheWarm BEFORE = new CacheWarm("cache_warm", false);
    public static final CacheWarm REWARMED = new CacheWarm("cache_rewarmed", true);

    private final boolean servedOnly;

    private CacheWarm(String name, boolean servedOnly) {
        super(name);
        this.servedOnly = servedOnly;
    }

    /** Each judged region's observers' hit ratios (empty: no data). */
    record HitRatios(Map<String, List<Double>> byRegion) implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            byRegion.forEach((r, v) -> m.put(r, v.isEmpty() ? "no data" : v));
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        Collection<String> judged = servedOnly ? facts.served() : facts.regions().keySet();
        Map<String, List<Double>> byRegion = new TreeMap<>();
        double minRatio = facts.plan().acceptance().cacheHitMin();
        double worst = 2;
        boolean pass = true;
        for (String region : judged) {
            RegionSignals r = facts.regions().get(region);
            List<Telemetry.Cache> caches = Latest.values(r.cache(), c -> c);
            pass &= !caches.isEmpty();
            for (Telemetry.Cache c : caches) {
                worst = Math.min(worst, c.hitRatio());
                pass &= c.hitRatio() >= minRatio && !Boolean.FALSE.equals(c.hotKeysPresent());
            }
            byRegion.put(region, caches.stream().map(Telemetry.Cache::hitRatio).toList());
        }
        return new CheckResult(name(), pass, worst > 1 ? null : worst, minRatio, new HitRatios(byRegion));
    }
}

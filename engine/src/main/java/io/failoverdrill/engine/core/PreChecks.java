package io.failoverdrill.engine.core;

import io.failoverdrill.engine.core.signal.LastValue;
import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The gate before a drill (seed runbook step 1): every region ready, equal INDEX_HASH and environment, queues
 * under threshold, caches warm, and a latency baseline for each region. Each check reads the latest value each
 * observer reported by the current tick; a check without data fails ("no data" is never a pass).
 */
final class PreChecks {
    /** Minimum latency samples for a usable baseline. */
    static final int MIN_BASELINE_SAMPLES = 20;
    /** A queue counts as empty below this many items. */
    static final long QUEUE_MAX = 100;
    /** A cache counts as warm from this hit ratio. */
    static final double CACHE_WARM_RATIO = 0.8;


    private final DrillPlan plan;
    private final Map<String, RegionSignals> regions;

    PreChecks(DrillPlan plan, Map<String, RegionSignals> regions) {
        this.plan = plan;
        this.regions = regions;
    }

    /** The always-on gate checks, then the plan's {@code checks.pre} in plan order. */
    List<CheckResult> evaluate(Map<String, LatencyStats> baseline, boolean indexSkewExpected) {
        List<CheckResult> out = new ArrayList<>();
        out.add(healthReady());
        out.add(baselineLatency(baseline));
        for (String check : plan.checks().pre()) {
            out.add(switch (check) {
                case "env_parity" -> indexSkewExpected ? null : envParity();
                case "index_hash_equal" -> indexSkewExpected ? null : indexHashEqual();
                case "queue_empty" -> queueEmpty();
                case "cache_warm" -> cacheWarm();
                case "health_ready" -> null;
                default -> CheckResult.noRule(check, "pre");
            });
        }
        out.removeIf(Objects::isNull);
        return out;
    }

    private CheckResult healthReady() {
        Map<String, Object> ev = new TreeMap<>();
        boolean pass = true;
        for (RegionSignals r : regions.values()) {
            List<Boolean> ready = latest(r.health(), Telemetry.Health::ready);
            ev.put(r.region(), ready.isEmpty() ? "no data" : ready);
            pass &= !ready.isEmpty() && ready.stream().allMatch(Boolean::booleanValue);
        }
        return new CheckResult("health_ready", pass, pass, true, ev);
    }

    private CheckResult baselineLatency(Map<String, LatencyStats> baseline) {
        Map<String, Object> ev = new TreeMap<>();
        boolean pass = true;
        for (String region : plan.regions()) {
            LatencyStats s = baseline.getOrDefault(region, LatencyStats.EMPTY);
            ev.put(region, s.toEvidence());
            pass &= s.count() >= MIN_BASELINE_SAMPLES;
        }
        ev.put("window_s", plan.timeline().baselineS());
        LatencyStats survivor = baseline.getOrDefault(plan.promoteSurvivor(), LatencyStats.EMPTY);
        Object value = survivor.isEmpty() ? null : io.failoverdrill.engine.core.signal.Numbers.round1(survivor.p95());
        ev.put("min_samples", MIN_BASELINE_SAMPLES);
        return new CheckResult("baseline_p95", pass, value, null, ev);
    }

    private CheckResult indexHashEqual() {
        return parity("index_hash_equal", m -> m.indexHash());
    }

    private CheckResult envParity() {
        return parity("env_parity", m -> m.metric() + "|" + m.analyzer() + "|" + Objects.toString(m.embedModel(), "-"));
    }

    /** Passes when every observer of every region reports the same value of {@code field}. */
    private CheckResult parity(String check, Function<Telemetry.IndexMeta, String> field) {
        Map<String, Object> ev = new TreeMap<>();
        TreeSet<String> distinct = new TreeSet<>();
        boolean allHaveData = true;
        for (RegionSignals r : regions.values()) {
            List<String> values = latest(r.index(), field);
            allHaveData &= !values.isEmpty();
            distinct.addAll(values);
            ev.put(r.region(), values.isEmpty() ? "no data" : new ArrayList<>(new TreeSet<>(values)));
        }
        boolean pass = allHaveData && distinct.size() == 1;
        return new CheckResult(check, pass, distinct.size(), 1, ev);
    }

    private CheckResult queueEmpty() {
        Map<String, Object> ev = new TreeMap<>();
        long worst = -1;
        boolean allHaveData = true;
        for (RegionSignals r : regions.values()) {
            List<Long> lengths = latest(r.backlog(), Telemetry.Backlog::length);
            allHaveData &= !lengths.isEmpty();
            long max = lengths.stream().mapToLong(Long::longValue).max().orElse(-1);
            ev.put(r.region(), lengths.isEmpty() ? "no data" : max);
            worst = Math.max(worst, max);
        }
        boolean pass = allHaveData && worst < QUEUE_MAX;
        return new CheckResult("queue_empty", pass, worst < 0 ? null : worst, QUEUE_MAX, ev);
    }

    private CheckResult cacheWarm() {
        Map<String, Object> ev = new TreeMap<>();
        double worst = 2;
        boolean pass = true;
        for (RegionSignals r : regions.values()) {
            List<Telemetry.Cache> caches = latest(r.cache(), c -> c);
            pass &= !caches.isEmpty();
            for (Telemetry.Cache c : caches) {
                worst = Math.min(worst, c.hitRatio());
                pass &= c.hitRatio() >= CACHE_WARM_RATIO && !Boolean.FALSE.equals(c.hotKeysPresent());
            }
            ev.put(r.region(), caches.isEmpty() ? "no data"
                    : caches.stream().map(Telemetry.Cache::hitRatio).toList());
        }
        return new CheckResult("cache_warm", pass, worst > 1 ? null : worst, CACHE_WARM_RATIO, ev);
    }

    /** The current value of every observer (key order, so deterministic), mapped by {@code f}. */
    private static <T, R> List<R> latest(Map<String, LastValue<T>> byObserver, Function<T, R> f) {
        List<R> out = new ArrayList<>();
        for (LastValue<T> v : byObserver.values()) {
            if (v.value() != null) {
                out.add(f.apply(v.value()));
            }
        }
        return out;
    }
}

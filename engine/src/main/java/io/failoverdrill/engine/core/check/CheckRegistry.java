package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.RagView;
import io.failoverdrill.schemas.plan.CheckNames;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every check the engine knows, by the name a plan lists it under ({@code checks.pre/live/post}), and the verdict
 * sets each stage of a drill issues, in log order — the same for every drill type. A check the plan marks
 * {@code acceptance.not_applicable} is issued as {@code not_applicable}; a name with no rule fails ("no rule").
 * The runbook never switches on check names itself.
 */
public final class CheckRegistry {
    private static final Map<String, Check> PRE = byName(List.of(IndexFieldParity.ENV_PARITY,
            IndexFieldParity.INDEX_HASH_EQUAL, new QueueEmpty(), CacheWarm.BEFORE, new HealthReady()));
    private static final Map<String, Check> LIVE = byName(List.of(new P95Latency(), new ErrorRate(),
            new QueueBacklog(), new DeltaSProbe(), new LambdaState(), new IndexHashLive(), new StickAnnounced()));
    private static final Map<String, Check> POST = byName(List.of(new BacklogZero(), CacheWarm.REWARMED));
    /** The acceptance targets and verifications every drill issues after its cutover. */
    private static final List<Check> TARGETS = List.of(new Max5xxBurst(), new P95Ratio(), new WriteLoss(),
            new SingleWriter(), new BacklogDrain(), new AuthFailures(), new ColdStartStorm(), new WebhookDuplicates(),
            new SurvivorHealthy(), new SloBudget());
    /** The pre-checks on index metadata, which an index-skew drill replaces by its own skew checks. */
    private static final Set<String> INDEX_PARITY_PRE = Set.of(IndexFieldParity.ENV_PARITY.name(),
            IndexFieldParity.INDEX_HASH_EQUAL.name());

    private CheckRegistry() {
    }

    private static Map<String, Check> byName(List<Check> checks) {
        Map<String, Check> m = new LinkedHashMap<>();
        checks.forEach(c -> m.put(c.name(), c));
        return m;
    }

    /** Every check name a plan may list, per stage (must equal {@link CheckNames}). */
    public static Set<String> known(String stage) {
        return switch (stage) {
            case "pre" -> new TreeSet<>(PRE.keySet());
            case "live" -> new TreeSet<>(LIVE.keySet());
            case "post" -> {
                Set<String> s = new TreeSet<>(POST.keySet());
                s.add(AnswersEqual.NAME);
                s.add(ContractsEqual.NAME);
                yield s;
            }
            default -> throw new IllegalArgumentException("no stage " + stage);
        };
    }

    /**
     * The gate: {@code health_ready} and {@code baseline_p95} always, then the plan's pre-checks in plan order (the
     * index-metadata parity checks not applicable when {@code indexSkewExpected}: the skew is the drill's fault).
     */
    public static List<CheckResult> preChecks(DrillFacts facts, boolean indexSkewExpected) {
        Verdicts v = new Verdicts(facts.plan());
        v.add(PRE.get(HealthReady.NAME).evaluate(facts));
        v.add(new BaselineP95().evaluate(facts));
        for (String name : facts.plan().checks().pre()) {
            if (indexSkewExpected && INDEX_PARITY_PRE.contains(name)) {
                v.add(CheckResult.notApplicable(name, "an index-skew drill starts from the skew it injects; "
                        + "index_skew_detected judges it"));
            } else {
                v.add(evaluate(PRE, name, "pre", facts));
            }
        }
        return v.list;
    }

    /** After the cutover: the plan's live checks, then every acceptance target and verification. */
    public static List<CheckResult> afterCutover(DrillFacts facts) {
        Verdicts v = new Verdicts(facts.plan());
        for (String name : facts.plan().checks().live()) {
            v.add(evaluate(LIVE, name, "live", facts));
        }
        TARGETS.forEach(c -> v.add(c.evaluate(facts)));
        return v.list;
    }

    /**
     * Closeout: INDEX_HASH and contract parity, RAG quality and answers over the probe set {@code after}, the plan's
     * post checks, and {@code cache_rewarmed} when {@code withCacheRewarmed} (the drill purged caches).
     */
    public static List<CheckResult> post(DrillFacts facts, RagView after, boolean withCacheRewarmed) {
        Verdicts v = new Verdicts(facts.plan());
        v.add(new IndexHashParity().evaluate(facts));
        v.add(new ContractsEqual().evaluate(facts));
        v.add(new DeltaS(after).evaluate(facts));
        v.add(new LambdaConvergent(after).evaluate(facts));
        v.add(new Coverage(after).evaluate(facts));
        v.add(new AnswersEqual(after).evaluate(facts));
        for (String name : facts.plan().checks().post()) {
            if (!v.names.contains(name)) {
                v.add(evaluate(POST, name, "post", facts));
            }
        }
        if (withCacheRewarmed) {
            v.add(CacheWarm.REWARMED.evaluate(facts));
        }
        return v.list;
    }

    private static CheckResult evaluate(Map<String, Check> stage, String name, String stageName, DrillFacts facts) {
        Check c = stage.get(name);
        return c == null ? CheckResult.noRule(name, stageName) : c.evaluate(facts);
    }

    /** Whether the plan lists any of {@code names} in any stage. */
    public static boolean listed(DrillPlan plan, String... names) {
        return plan.checks().lists(names);
    }

    /** {@code r}, or {@code not_applicable} when the plan marks its check so. */
    public static CheckResult asPlanned(DrillPlan plan, CheckResult r) {
        return plan.notApplicable(r.check()) ? CheckResult.notApplicable(r.check(),
                "the plan marks it so (acceptance.not_applicable)") : r;
    }

    /** Verdicts in log order, at most one per check name. */
    private static final class Verdicts {
        final DrillPlan plan;
        final List<CheckResult> list = new ArrayList<>();
        final Set<String> names = new TreeSet<>();

        Verdicts(DrillPlan plan) {
            this.plan = plan;
        }

        void add(CheckResult r) {
            if (names.add(r.check())) {
                list.add(asPlanned(plan, r));
            }
        }
    }
}

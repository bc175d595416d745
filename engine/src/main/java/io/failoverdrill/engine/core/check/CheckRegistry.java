package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.RagView;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every check the engine knows, by the name a plan lists it under ({@code checks.pre/live/post}), and the verdict
 * sets each stage of a drill issues, in log order. A check name the registry does not know fails with "no rule";
 * the runbook never switches on check names itself.
 */
public final class CheckRegistry {
    private static final Map<String, Check> PRE = byName(List.of(IndexFieldParity.ENV_PARITY,
            IndexFieldParity.INDEX_HASH_EQUAL, new QueueEmpty(), CacheWarm.BEFORE));
    private static final Map<String, Check> LIVE = byName(List.of(new P95Latency(), new ErrorRate(),
            new QueueBacklog(), new DeltaSProbe(), new LambdaState(), new IndexHashLive()));
    private static final Map<String, Check> POST = byName(List.of(new BacklogZero(), CacheWarm.REWARMED));
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

    /** Every check name a plan may list, per stage. */
    public static Set<String> known(String stage) {
        return switch (stage) {
            case "pre" -> new TreeSet<>(union(PRE.keySet(), Set.of(HealthReady.NAME)));
            case "live" -> new TreeSet<>(LIVE.keySet());
            case "post" -> new TreeSet<>(union(POST.keySet(), Set.of(AnswersEqual.NAME, ContractsEqual.NAME)));
            default -> throw new IllegalArgumentException("no stage " + stage);
        };
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new TreeSet<>(a);
        s.addAll(b);
        return s;
    }

    /**
     * The gate: {@code health_ready} and {@code baseline_p95} always, then the plan's pre-checks in plan order
     * (without the index-metadata parity checks when {@code indexSkewExpected}).
     */
    public static List<CheckResult> preChecks(DrillFacts facts, boolean indexSkewExpected) {
        List<CheckResult> out = new ArrayList<>();
        out.add(new HealthReady().evaluate(facts));
        out.add(new BaselineP95().evaluate(facts));
        for (String name : facts.plan().checks().pre()) {
            if (name.equals(HealthReady.NAME) || (indexSkewExpected && INDEX_PARITY_PRE.contains(name))) {
                continue;
            }
            out.add(evaluate(PRE, name, "pre", facts));
        }
        return out;
    }

    /**
     * After the cutover: the plan's live checks, the acceptance targets (burst, p95 ratio per serving region, write
     * loss, single writer, backlog drain, auth failures, cold starts, webhook duplicates when judged) and, when
     * {@code withPost}, the post checks.
     */
    public static List<CheckResult> afterCutover(DrillFacts facts, boolean withPost, boolean judgeWebhooks) {
        Verdicts v = new Verdicts();
        for (String name : facts.plan().checks().live()) {
            v.add(evaluate(LIVE, name, "live", facts));
        }
        v.add(new Max5xxBurst().evaluate(facts));
        for (String r : facts.served()) {
            v.add(new P95Ratio(r).evaluate(facts));
        }
        v.add(new WriteLoss().evaluate(facts));
        v.add(new SingleWriter().evaluate(facts));
        if (facts.live().backlogSeen() || listed(facts, "queue_backlog", "backlog_zero", "queue_empty")) {
            v.add(new BacklogDrain().evaluate(facts));
        }
        v.add(new AuthFailures().evaluate(facts));
        v.add(new ColdStartStorm().evaluate(facts));
        if (judgeWebhooks || facts.ledgers().hasWebhooks()) {
            v.add(new WebhookDuplicates().evaluate(facts));
        }
        if (withPost) {
            post(facts, v);
        }
        return v.list;
    }

    /** The post checks alone (after a return home), then {@code extra}. */
    public static List<CheckResult> post(DrillFacts facts, Check extra) {
        Verdicts v = new Verdicts();
        post(facts, v);
        v.add(extra.evaluate(facts));
        return v.list;
    }

    /** Parity, answers and RAG quality over every region, then the plan's remaining post checks. */
    private static void post(DrillFacts facts, Verdicts v) {
        if (facts.live().indexSeen() || listed(facts, "index_hash", "index_hash_equal", "contracts_equal")) {
            v.add(new IndexHashParity().evaluate(facts));
            v.add(new ContractsEqual().evaluate(facts));
        }
        RagView after = new RagView(facts.regions().values(), null, facts.ragSinceMs());
        if (!after.isEmpty() || listed(facts, "delta_s_probe", "lambda_state", "answers_equal")) {
            ragChecks(after).forEach(c -> v.add(c.evaluate(facts)));
        }
        for (String name : facts.plan().checks().post()) {
            v.add(evaluate(POST, name, "post", facts));
        }
    }

    /** RAG quality over the probe set {@code after}: ΔS, λ, coverage, answers equal. */
    public static List<Check> ragChecks(RagView after) {
        return List.of(new DeltaS(after), new LambdaConvergent(after), new Coverage(after), new AnswersEqual(after));
    }

    private static CheckResult evaluate(Map<String, Check> stage, String name, String stageName, DrillFacts facts) {
        Check c = stage.get(name);
        return c == null ? CheckResult.noRule(name, stageName) : c.evaluate(facts);
    }

    private static boolean listed(DrillFacts facts, String... names) {
        return listed(facts.plan(), names);
    }

    /** Whether the plan lists any of {@code names} in any stage. */
    public static boolean listed(DrillPlan plan, String... names) {
        var checks = plan.checks();
        for (String c : names) {
            if (checks.pre().contains(c) || checks.live().contains(c) || checks.post().contains(c)) {
                return true;
            }
        }
        return false;
    }

    /** Verdicts in log order, at most one per check name and region. */
    private static final class Verdicts {
        final List<CheckResult> list = new ArrayList<>();
        final Set<String> keys = new TreeSet<>();

        void add(CheckResult r) {
            Object region = r.evidenceJson().getOrDefault("region", "");
            if (keys.add(r.check() + "|" + region)) {
                list.add(r);
            }
        }
    }
}

package io.failoverdrill.schemas.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.JsonReader;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns plan JSON into a {@link DrillPlan}, collecting <em>every</em> violation (not just the first) so that
 * {@code drill validate} can list them all.
 */
public final class PlanDecoder {
    private final List<ContractViolation> errors = new ArrayList<>();

    private PlanDecoder() {
    }

    /** Decodes {@code root}; throws {@link PlanInvalid} listing every violation. */
    public static DrillPlan decode(JsonNode root) {
        PlanDecoder d = new PlanDecoder();
        DrillPlan plan = d.read(root);
        if (!d.errors.isEmpty()) {
            throw new PlanInvalid(d.errors);
        }
        return plan;
    }

    private <T> T get(Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (ContractViolation v) {
            errors.add(v);
            return fallback;
        }
    }

    private void fail(String path, String rule) {
        errors.add(new ContractViolation(path, rule));
    }

    /** Every field a plan (docs/contracts.md §6, §7) may carry, per object. */
    static final Set<String> TOP = Set.of("regions", "evacuate", "promote_survivor", "routing", "freeze_writes_on_followers",
            "checks", "rag_probe", "webhook_policy", "return_to_home", "drill_id", "drill_type", "acceptance", "detect",
            "clamp", "timeline", "allowed_lateness_ms", "slo", "demo_note", "dry_run", "control");
    static final Set<String> ROUTING = Set.of("mode", "stick_minutes", "hysteresis_s");
    static final Set<String> CHECKS = Set.of("pre", "live", "post");
    static final Set<String> RAG = Set.of("k", "dualhome_k", "delta_s_risk", "coverage_min");
    static final Set<String> WEBHOOKS = Set.of("emit_from", "dedupe_key");
    static final Set<String> HOME = Set.of("rebuild_follower", "purge_cache", "gradual_weights");
    static final Set<String> ACCEPTANCE = Set.of("cutover_s", "max_5xx_burst_s", "p95_ratio_max", "backlog_drain_s",
            "delta_s_max", "coverage_min", "lambda_convergent_min", "queue_max", "cache_hit_min", "cold_share_max",
            "baseline_samples_min", "answers_jaccard_min", "stick_announced_min", "not_applicable");
    static final Set<String> DETECT = Set.of("window_s", "p95_ms", "error_rate", "quorum", "outage_enter", "outage_exit",
            "health_window_s");
    static final Set<String> CLAMP = Set.of("initial_limit", "min_limit", "backoff_ratio");
    static final Set<String> TIMELINE = Set.of("baseline_s", "observe_s", "stale_observer_s", "rebuild_timeout_s");
    static final Set<String> SLO = Set.of("objective", "window_s", "max_budget_share");
    static final Set<String> CONTROL = Set.of("signers");
    /** {@code sha256(field+field…)}: the dedupe key expression of {@code webhook_policy}. */
    private static final java.util.regex.Pattern KEY_EXPRESSION =
            java.util.regex.Pattern.compile("^sha256\\(([a-z_][a-z0-9_]*(\\+[a-z_][a-z0-9_]*)*)\\)$");

    /** Every member of {@code r} must be one of {@code known}; each other one is an error naming the nearest. */
    private void known(JsonReader r, Set<String> known) {
        if (r == null) {
            return;
        }
        for (String f : r.fieldNames()) {
            if (!known.contains(f)) {
                fail(r.pathOf(f), "is not a field of this object" + NearestName.hint(f, known));
            }
        }
    }

    private DrillPlan read(JsonNode root) {
        JsonReader r = JsonReader.of(root, "$");
        known(r, TOP);
        List<String> regions = get(() -> r.strings("regions", JsonReader.REGION), List.of());
        if (r.has("regions") && regions.size() < 2) {
            fail("$.regions", "must list at least 2 regions");
        }
        if (new LinkedHashSet<>(regions).size() != regions.size()) {
            fail("$.regions", "must not repeat a region");
        }
        String evacuate = get(() -> member(r, "evacuate", regions), "");
        String survivor = get(() -> member(r, "promote_survivor", regions), "");
        if (!evacuate.isEmpty() && evacuate.equals(survivor)) {
            fail("$.promote_survivor", "must differ from evacuate");
        }
        DrillPlan.Routing routing = get(() -> routing(r.object("routing")), new DrillPlan.Routing("latency", 15, 30));
        boolean freeze = get(() -> r.bool("freeze_writes_on_followers"), true);
        DrillPlan.Checks checks = get(() -> checks(r.object("checks")), new DrillPlan.Checks(List.of(), List.of(), List.of()));
        DrillPlan.RagProbe rag = get(() -> rag(r.object("rag_probe")), new DrillPlan.RagProbe(10, 5, 0.6, 0.7));
        DrillPlan.WebhookPolicy webhooks = get(() -> webhooks(r.object("webhook_policy"), regions),
                new DrillPlan.WebhookPolicy(survivor, "", List.of()));
        DrillPlan.ReturnToHome home = get(() -> home(r.object("return_to_home")),
                new DrillPlan.ReturnToHome(true, true, List.of(10, 30, 60, 100)));

        String drillId = get(() -> r.optionalString("drill_id", 1, 128), null);
        String demoNote = get(() -> r.optionalString("demo_note", 1, 2000), null);
        boolean dryRun = get(() -> Boolean.TRUE.equals(r.optionalBool("dry_run")), false);
        List<String> signers = get(() -> signers(r.optionalObject("control")), List.of());
        DrillPlan.Slo slo = get(() -> slo(r.optionalObject("slo")), DrillPlan.Slo.DEFAULT);
        DrillType drillType = get(() -> r.has("drill_type")
                ? DrillType.fromWire(r.oneOf("drill_type", Set.copyOf(DrillType.wireNames()))) : DrillType.BROWNOUT,
                DrillType.BROWNOUT);
        DrillPlan.Acceptance acceptance = get(() -> acceptance(r.optionalObject("acceptance"), rag.coverageMin()),
                DrillPlan.Acceptance.SEED);
        DrillPlan.Detect detect = get(() -> detect(r.optionalObject("detect")), DrillPlan.Detect.DEFAULT);
        DrillPlan.Clamp clamp = get(() -> clamp(r.optionalObject("clamp")), DrillPlan.Clamp.DEFAULT);
        DrillPlan.Timeline timeline = get(() -> timeline(r.optionalObject("timeline")), DrillPlan.Timeline.DEFAULT);
        long lateness = get(() -> r.has("allowed_lateness_ms") ? r.integer("allowed_lateness_ms", 0, 3_600_000) : 2000L, 2000L);
        return new DrillPlan(drillId == null ? "drill" : drillId, drillType, regions, evacuate, survivor, routing,
                freeze, checks, rag, webhooks, home, acceptance, detect, clamp, timeline, lateness, slo, demoNote, dryRun,
                signers);
    }

    private static String member(JsonReader r, String field, List<String> regions) {
        String v = r.region(field);
        if (!regions.isEmpty() && !regions.contains(v)) {
            throw new ContractViolation(r.pathOf(field), "must be one of $.regions");
        }
        return v;
    }

    private DrillPlan.Routing routing(JsonReader o) {
        known(o, ROUTING);
        String mode = get(() -> o.oneOf("mode", Set.copyOf(DrillPlan.Routing.MODES)), "latency");
        int stick = get(() -> (int) o.integer("stick_minutes", 0, 24 * 60), 15);
        int hyst = get(() -> (int) o.integer("hysteresis_s", 0, 3600), 30);
        return new DrillPlan.Routing(mode, stick, hyst);
    }

    private DrillPlan.Checks checks(JsonReader o) {
        known(o, CHECKS);
        return new DrillPlan.Checks(stage(o, "pre"), stage(o, "live"), stage(o, "post"));
    }

    /** A stage's check names, normalised; a name the engine has no rule for is an error with the nearest known. */
    private List<String> stage(JsonReader o, String stage) {
        List<String> raw = get(() -> o.strings(stage, null), List.of());
        for (int i = 0; i < raw.size(); i++) {
            String n = normalise(List.of(raw.get(i))).get(0);
            if (!CheckNames.stage(stage).contains(n)) {
                String elsewhere = CheckNames.verdicts().contains(n) ? " (it is not a " + stage + " check)" : "";
                fail(o.pathOf(stage) + "[" + i + "]", "is not a known " + stage + " check" + elsewhere
                        + NearestName.hint(n, CheckNames.stage(stage)));
            }
        }
        return normalise(raw);
    }

    /** {@code ΔS_probe} → {@code delta_s_probe}, {@code λ_state} → {@code lambda_state}, duplicates dropped. */
    public static List<String> normalise(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            out.add(n.replace("ΔS", "delta_s").replace("λ", "lambda"));
        }
        return List.copyOf(out);
    }

    private DrillPlan.RagProbe rag(JsonReader o) {
        known(o, RAG);
        int k = get(() -> (int) o.integer("k", 1, 1000), 10);
        int dk = get(() -> (int) o.integer("dualhome_k", 1, 1000), 5);
        if (dk > k) {
            fail(o.pathOf("dualhome_k"), "must be ≤ k");
        }
        double risk = get(() -> o.number("delta_s_risk", 0, 2), 0.6);
        double cov = get(() -> o.number("coverage_min", 0, 1), 0.7);
        return new DrillPlan.RagProbe(k, dk, risk, cov);
    }

    private DrillPlan.WebhookPolicy webhooks(JsonReader o, List<String> regions) {
        known(o, WEBHOOKS);
        String from = get(() -> member(o, "emit_from", regions), "");
        String key = get(() -> o.string("dedupe_key", 1, 256), "");
        List<String> fields = List.of();
        java.util.regex.Matcher m = KEY_EXPRESSION.matcher(key.replace(" ", ""));
        if (m.matches()) {
            fields = List.of(m.group(1).split("\\+"));
        } else if (!key.isEmpty()) {
            fail(o.pathOf("dedupe_key"), "must be sha256(<field>+<field>…) over webhook event fields, like sha256(event_id+rev)");
        }
        return new DrillPlan.WebhookPolicy(from, key, fields);
    }

    private DrillPlan.ReturnToHome home(JsonReader o) {
        known(o, HOME);
        boolean rebuild = get(() -> o.bool("rebuild_follower"), true);
        boolean purge = get(() -> o.bool("purge_cache"), true);
        List<Integer> steps = get(() -> weights(o), List.of(10, 30, 60, 100));
        return new DrillPlan.ReturnToHome(rebuild, purge, steps);
    }

    private static List<Integer> weights(JsonReader o) {
        JsonNode arr = o.raw("gradual_weights");
        String path = o.pathOf("gradual_weights");
        if (arr == null) {
            throw new ContractViolation(path, "is required");
        }
        if (!arr.isArray() || arr.isEmpty()) {
            throw new ContractViolation(path, "must be a non-empty array of integers");
        }
        List<Integer> out = new ArrayList<>();
        int prev = 0;
        for (int i = 0; i < arr.size(); i++) {
            JsonNode e = arr.get(i);
            if (!e.isIntegralNumber() || e.intValue() < 1 || e.intValue() > 100) {
                throw new ContractViolation(path + "[" + i + "]", "must be an integer in [1, 100]");
            }
            if (e.intValue() <= prev) {
                throw new ContractViolation(path + "[" + i + "]", "must be greater than the step before it");
            }
            prev = e.intValue();
            out.add(prev);
        }
        if (prev != 100) {
            throw new ContractViolation(path + "[" + (arr.size() - 1) + "]", "the last step must be 100");
        }
        return out;
    }

    private DrillPlan.Acceptance acceptance(JsonReader o, double ragCoverageMin) {
        DrillPlan.Acceptance d = DrillPlan.Acceptance.SEED;
        if (o == null) {
            return new DrillPlan.Acceptance(d.cutoverS(), d.max5xxBurstS(), d.p95RatioMax(), d.backlogDrainS(),
                    d.deltaSMax(), ragCoverageMin, d.lambdaConvergentMin(), d.queueMax(), d.cacheHitMin(),
                    d.coldShareMax(), d.baselineSamplesMin(), d.answersJaccardMin(), d.stickAnnouncedMin(), d.notApplicable());
        }
        known(o, ACCEPTANCE);
        List<String> notApplicable = get(() -> notApplicable(o), List.of());
        return new DrillPlan.Acceptance(
                positive(o, "cutover_s", d.cutoverS()), positive(o, "max_5xx_burst_s", d.max5xxBurstS()),
                positive(o, "p95_ratio_max", d.p95RatioMax()), positive(o, "backlog_drain_s", d.backlogDrainS()),
                share(o, "delta_s_max", 2, d.deltaSMax()), share(o, "coverage_min", 1, ragCoverageMin),
                share(o, "lambda_convergent_min", 1, d.lambdaConvergentMin()),
                get(() -> o.has("queue_max") ? o.integer("queue_max", 0, Long.MAX_VALUE) : d.queueMax(), d.queueMax()),
                share(o, "cache_hit_min", 1, d.cacheHitMin()), share(o, "cold_share_max", 1, d.coldShareMax()),
                get(() -> o.has("baseline_samples_min") ? (int) o.integer("baseline_samples_min", 1, 1_000_000)
                        : d.baselineSamplesMin(), d.baselineSamplesMin()),
                share(o, "answers_jaccard_min", 1, d.answersJaccardMin()),
                share(o, "stick_announced_min", 1, d.stickAnnouncedMin()), notApplicable);
    }

    /** A number in [0, max], or the default when absent. */
    private double share(JsonReader o, String field, double max, double fallback) {
        return get(() -> o.has(field) ? o.number(field, 0, max) : fallback, fallback);
    }

    private List<String> notApplicable(JsonReader o) {
        List<String> raw = o.has("not_applicable") ? o.strings("not_applicable", null) : List.of();
        for (int i = 0; i < raw.size(); i++) {
            String n = normalise(List.of(raw.get(i))).get(0);
            if (!CheckNames.verdicts().contains(n)) {
                fail(o.pathOf("not_applicable") + "[" + i + "]", "is not a verdict the engine issues"
                        + NearestName.hint(n, CheckNames.verdicts()));
            }
        }
        return normalise(raw);
    }

    private List<String> signers(JsonReader o) {
        if (o == null) {
            return List.of();
        }
        known(o, CONTROL);
        return o.has("signers") ? o.strings("signers", null) : List.of();
    }

    private DrillPlan.Slo slo(JsonReader o) {
        DrillPlan.Slo d = DrillPlan.Slo.DEFAULT;
        if (o == null) {
            return d;
        }
        known(o, SLO);
        double objective = get(() -> o.has("objective") ? o.number("objective", 0, 1) : d.objective(), d.objective());
        if (objective >= 1) {
            fail(o.pathOf("objective"), "must be below 1 (an objective of 1 leaves no error budget)");
        }
        long window = get(() -> o.has("window_s") ? o.integer("window_s", 1, 366L * 24 * 3600) : d.windowS(), d.windowS());
        return new DrillPlan.Slo(objective, window, share(o, "max_budget_share", 1, d.maxBudgetShare()));
    }

    private double positive(JsonReader o, String field, double fallback) {
        return get(() -> {
            if (!o.has(field)) {
                return fallback;
            }
            double v = o.number(field);
            if (v <= 0) {
                throw new ContractViolation(o.pathOf(field), "must be a number > 0");
            }
            return v;
        }, fallback);
    }

    private DrillPlan.Detect detect(JsonReader o) {
        DrillPlan.Detect d = DrillPlan.Detect.DEFAULT;
        if (o == null) {
            return d;
        }
        known(o, DETECT);
        int window = get(() -> o.has("window_s") ? (int) o.integer("window_s", 1, 3600) : d.windowS(), d.windowS());
        Double p95 = get(() -> o.has("p95_ms") ? positive(o, "p95_ms", 0) : null, null);
        double rate = get(() -> o.has("error_rate") ? o.number("error_rate", 0, 1) : d.errorRate(), d.errorRate());
        int quorum = get(() -> o.has("quorum") ? (int) o.integer("quorum", 1, 1000) : d.quorum(), d.quorum());
        double enter = share(o, "outage_enter", 1, d.outageEnter());
        double exit = share(o, "outage_exit", 1, d.outageExit());
        if (exit > enter) {
            fail(o.pathOf("outage_exit"), "must be ≤ outage_enter (" + enter + ")");
        }
        int health = get(() -> o.has("health_window_s") ? (int) o.integer("health_window_s", 1, 3600) : d.healthWindowS(),
                d.healthWindowS());
        return new DrillPlan.Detect(window, p95, rate, quorum, enter, exit, health);
    }

    private DrillPlan.Clamp clamp(JsonReader o) {
        DrillPlan.Clamp d = DrillPlan.Clamp.DEFAULT;
        if (o == null) {
            return d;
        }
        known(o, CLAMP);
        int initial = get(() -> o.has("initial_limit") ? (int) o.integer("initial_limit", 1, 1_000_000) : d.initialLimit(), d.initialLimit());
        int min = get(() -> o.has("min_limit") ? (int) o.integer("min_limit", 1, 1_000_000) : d.minLimit(), d.minLimit());
        double ratio = get(() -> o.has("backoff_ratio") ? o.number("backoff_ratio", 0.05, 0.99) : d.backoffRatio(), d.backoffRatio());
        if (min > initial) {
            fail(o.pathOf("min_limit"), "must be ≤ initial_limit");
        }
        return new DrillPlan.Clamp(initial, min, ratio);
    }

    private DrillPlan.Timeline timeline(JsonReader o) {
        DrillPlan.Timeline d = DrillPlan.Timeline.DEFAULT;
        if (o == null) {
            return d;
        }
        known(o, TIMELINE);
        int baseline = get(() -> o.has("baseline_s") ? (int) o.integer("baseline_s", 1, 86_400) : d.baselineS(), d.baselineS());
        int observe = get(() -> o.has("observe_s") ? (int) o.integer("observe_s", 1, 86_400) : d.observeS(), d.observeS());
        int stale = get(() -> o.has("stale_observer_s") ? (int) o.integer("stale_observer_s", 1, 3600) : d.staleObserverS(), d.staleObserverS());
        int rebuild = get(() -> o.has("rebuild_timeout_s") ? (int) o.integer("rebuild_timeout_s", 1, 86_400) : d.rebuildTimeoutS(), d.rebuildTimeoutS());
        return new DrillPlan.Timeline(baseline, observe, stale, rebuild);
    }

    /** The plan broke one or more rules; {@link #violations()} lists each with its JSON path. */
    public static final class PlanInvalid extends RuntimeException {
        private final List<ContractViolation> violations;

        PlanInvalid(List<ContractViolation> violations) {
            super(violations.size() + " plan error(s): " + violations.get(0).getMessage());
            this.violations = List.copyOf(violations);
        }

        public List<ContractViolation> violations() {
            return violations;
        }
    }
}

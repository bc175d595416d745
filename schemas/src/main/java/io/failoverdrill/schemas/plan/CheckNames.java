package io.failoverdrill.schemas.plan;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The check names a plan may list per stage ({@code checks.pre/live/post}), and every verdict name a plan may mark
 * {@code acceptance.not_applicable}. The engine's check registry is tested to know exactly these.
 */
public final class CheckNames {
    public static final List<String> PRE = List.of("env_parity", "index_hash_equal", "queue_empty", "cache_warm", "health_ready");
    public static final List<String> LIVE = List.of("p95_latency", "error_rate", "queue_backlog", "delta_s_probe",
            "lambda_state", "index_hash", "stick_announced");
    public static final List<String> POST = List.of("answers_equal", "contracts_equal", "backlog_zero", "cache_rewarmed");
    /** Verdicts the engine issues besides the listed checks: gate, cutover, acceptance targets, verification. */
    public static final List<String> TARGETS = List.of("baseline_p95", "index_skew_detected", "index_reuse_refused",
            "survivor_healthy", "cutover_time", "max_5xx_burst", "p95_ratio", "write_loss", "single_writer",
            "backlog_drain", "auth_failures", "cold_start_storm", "webhook_duplicates", "slo_budget", "index_hash_parity",
            "delta_s", "lambda_convergent", "coverage");

    private CheckNames() {
    }

    public static List<String> stage(String stage) {
        return switch (stage) {
            case "pre" -> PRE;
            case "live" -> LIVE;
            case "post" -> POST;
            default -> throw new IllegalArgumentException("no stage " + stage);
        };
    }

    /** Every verdict a plan may mark not applicable. */
    public static Set<String> verdicts() {
        Set<String> all = new TreeSet<>(PRE);
        all.addAll(LIVE);
        all.addAll(POST);
        all.addAll(TARGETS);
        return all;
    }
}

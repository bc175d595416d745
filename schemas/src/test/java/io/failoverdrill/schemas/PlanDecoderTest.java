package io.failoverdrill.schemas;

import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.PlanDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PlanDecoderTest {
    /** The seed page's plan, exactly as published (including 0.60 / 0.70 and the Greek check names). */
    static final String SEED = """
            {
              "regions": ["us-east", "eu-west"],
              "evacuate": "us-east",
              "promote_survivor": "eu-west",
              "routing": { "mode": "latency", "stick_minutes": 15, "hysteresis_s": 30 },
              "freeze_writes_on_followers": true,
              "checks": {
                "pre": ["env_parity", "index_hash_equal", "queue_empty", "cache_warm"],
                "live": ["p95_latency", "error_rate", "queue_backlog", "ΔS_probe", "λ_state", "index_hash"],
                "post": ["answers_equal", "contracts_equal", "backlog_zero", "cache_rewarmed"]
              },
              "rag_probe": { "k": 10, "dualhome_k": 5, "delta_s_risk": 0.60, "coverage_min": 0.70 },
              "webhook_policy": { "emit_from": "eu-west", "dedupe_key": "sha256(event_id+rev)" },
              "return_to_home": { "rebuild_follower": true, "purge_cache": true, "gradual_weights": [10,30,60,100] }
            }
            """;

    @Test
    void theSeedPlanValidatesAsIsWithTheSeedDefaults() {
        DrillPlan plan = Codec.decodePlan(SEED.getBytes(StandardCharsets.UTF_8));
        assertThat(plan.regions()).containsExactly("us-east", "eu-west");
        assertThat(plan.followers()).containsExactly("us-east");
        assertThat(plan.checks().live()).contains("delta_s_probe", "lambda_state");
        assertThat(plan.acceptance()).isEqualTo(DrillPlan.Acceptance.SEED);
        assertThat(plan.allowedLatenessMs()).isEqualTo(2000);
        assertThat(plan.drillType()).isEqualTo(io.failoverdrill.schemas.plan.DrillType.BROWNOUT);
        assertThat(plan.routing().hysteresisS()).isEqualTo(30);
        assertThat(plan.returnToHome().gradualWeights()).containsExactly(10, 30, 60, 100);
    }

    @Test
    void everyErrorIsListedWithItsPathNotJustTheFirst() {
        String broken = SEED.replace("\"evacuate\": \"us-east\"", "\"evacuate\": \"mars\"")
                .replace("\"hysteresis_s\": 30", "\"hysteresis_s\": \"slow\"")
                .replace("\"k\": 10", "\"k\": 0");
        PlanDecoder.PlanInvalid e = catchThrowableOfType(PlanDecoder.PlanInvalid.class,
                () -> Codec.decodePlan(broken.getBytes(StandardCharsets.UTF_8)));
        assertThat(e.violations()).extracting(ContractViolation::path)
                .containsExactlyInAnyOrder("$.evacuate", "$.routing.hysteresis_s", "$.rag_probe.k");
    }

    static java.util.List<String> errors(String plan) {
        PlanDecoder.PlanInvalid e = catchThrowableOfType(PlanDecoder.PlanInvalid.class,
                () -> Codec.decodePlan(plan.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).as("the plan must be rejected").isNotNull();
        return e.violations().stream().map(ContractViolation::getMessage).toList();
    }

    @Test
    void unknownFieldsAreErrorsWithTheirPathAndTheNearestKnownName() {
        assertThat(errors(SEED.replace("\"regions\"", "\"timline\": {}, \"regions\"")))
                .anySatisfy(m -> assertThat(m).contains("$.timline").contains("did you mean `timeline`?"));
        assertThat(errors(SEED.replace("\"hysteresis_s\": 30", "\"hysteresis_s\": 30, \"baseline_sec\": 10")))
                .anySatisfy(m -> assertThat(m).contains("$.routing.baseline_sec").contains("is not a field"));
    }

    @Test
    void unknownCheckNamesAreErrorsWithTheNearestKnownCheck() {
        assertThat(errors(SEED.replace("\"index_hash_equal\"", "\"index_hash_eqaul\"")))
                .anySatisfy(m -> assertThat(m).contains("$.checks.pre[1]").contains("did you mean `index_hash_equal`?"));
        assertThat(errors(SEED.replace("\"backlog_zero\"", "\"p95_latency\"")))
                .anySatisfy(m -> assertThat(m).contains("$.checks.post[2]").contains("it is not a post check"));
    }

    @Test
    void thresholdsComeFromThePlanAndABadOneNamesItsPath() {
        String plan = SEED.replace("\"regions\"", "\"acceptance\": {\"queue_max\": 5, \"cache_hit_min\": 0.9, "
                + "\"lambda_convergent_min\": 0.7, \"cold_share_max\": 0.1, \"baseline_samples_min\": 50, "
                + "\"not_applicable\": [\"webhook_duplicates\", \"ΔS_probe\"]}, "
                + "\"detect\": {\"outage_enter\": 0.6, \"outage_exit\": 0.2, \"health_window_s\": 8}, "
                + "\"slo\": {\"objective\": 0.99, \"window_s\": 86400}, \"regions\"");
        DrillPlan p = Codec.decodePlan(plan.getBytes(StandardCharsets.UTF_8));
        assertThat(p.acceptance().queueMax()).isEqualTo(5);
        assertThat(p.acceptance().cacheHitMin()).isEqualTo(0.9);
        assertThat(p.acceptance().notApplicable()).containsExactly("webhook_duplicates", "delta_s_probe");
        assertThat(p.detect().outageEnter()).isEqualTo(0.6);
        assertThat(p.detect().healthWindowS()).isEqualTo(8);
        assertThat(p.slo().objective()).isEqualTo(0.99);
        assertThat(p.acceptance().coverageMin()).as("defaults to rag_probe.coverage_min").isEqualTo(0.70);

        assertThat(errors(SEED.replace("\"regions\"", "\"acceptance\": {\"cache_hit_min\": 1.5}, \"regions\"")))
                .anySatisfy(m -> assertThat(m).contains("$.acceptance.cache_hit_min"));
        assertThat(errors(SEED.replace("\"regions\"", "\"detect\": {\"outage_enter\": 0.1, \"outage_exit\": 0.3}, \"regions\"")))
                .anySatisfy(m -> assertThat(m).contains("$.detect.outage_exit").contains("≤ outage_enter"));
        assertThat(errors(SEED.replace("\"regions\"", "\"acceptance\": {\"not_applicable\": [\"write_los\"]}, \"regions\"")))
                .anySatisfy(m -> assertThat(m).contains("$.acceptance.not_applicable[0]").contains("did you mean `write_loss`?"));
    }

    @Test
    void routingModeAndDedupeKeyAreUsedOrRejected() {
        assertThat(errors(SEED.replace("\"mode\": \"latency\"", "\"mode\": \"geo\"")))
                .anySatisfy(m -> assertThat(m).contains("$.routing.mode").contains("failover, latency, weighted"));
        assertThat(errors(SEED.replace("sha256(event_id+rev)", "md5(event_id)")))
                .anySatisfy(m -> assertThat(m).contains("$.webhook_policy.dedupe_key").contains("sha256("));
        DrillPlan p = Codec.decodePlan(SEED.getBytes(StandardCharsets.UTF_8));
        assertThat(p.webhookPolicy().keyFields()).containsExactly("event_id", "rev");
    }

    @Test
    void aGuardPolicyRejectsUnknownFieldsToo() {
        PlanDecoder.PlanInvalid e = catchThrowableOfType(PlanDecoder.PlanInvalid.class, () -> io.failoverdrill.schemas.plan.GuardPolicy.decode(
                "{\"guard_id\":\"g\",\"regions\":[\"a\",\"b\"],\"detect\":{\"p95_ms\":100},\"rag_prob\":{}}".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.violations()).extracting(ContractViolation::getMessage)
                .anySatisfy(m -> assertThat(m).contains("$.rag_prob").contains("did you mean `rag_probe`?"));
    }
}

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
}

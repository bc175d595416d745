package io.failoverdrill.cli;

import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.plan.PlanDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A record of the plans topic: a drill plan or a guard policy, its id and its key in agreement. */
class PlanRecordTest {
    static final Path PLAN = Path.of("..", "plans", "demo-brownout.json");
    static final Path POLICY = Path.of("..", "plans", "guard.json");

    @Test
    void tellsAGuardPolicyFromADrillPlanAndTakesTheirIds() throws Exception {
        PlanRecord drill = PlanRecord.decode(null, Files.readAllBytes(PLAN));
        assertThat(drill.guard()).isFalse();
        assertThat(drill.id()).isEqualTo("demo-brownout");
        PlanRecord guard = PlanRecord.decode("guard-prod", Files.readAllBytes(POLICY));
        assertThat(guard.guard()).isTrue();
        assertThat(guard.kind()).isEqualTo("guard");
    }

    @Test
    void aPlanWithoutDrillIdTakesTheKeyAndCannotBeSubmittedWithoutOne() throws Exception {
        byte[] anonymous = Files.readString(PLAN).replace("\"drill_id\": \"demo-brownout\",", "").getBytes(StandardCharsets.UTF_8);
        assertThat(PlanRecord.decode("dr-2026-12", anonymous).id()).isEqualTo("dr-2026-12");
        assertThatThrownBy(() -> PlanRecord.decode(null, anonymous)).isInstanceOf(ContractViolation.class)
                .hasMessageContaining("$.drill_id");
    }

    @Test
    void refusesAnIdThatIsNotItsKeyAndABrokenPlanNamingTheField() throws Exception {
        assertThatThrownBy(() -> PlanRecord.decode("other", Files.readAllBytes(POLICY))).isInstanceOf(ContractViolation.class)
                .hasMessageContaining("$.guard_id").hasMessageContaining("'other'");
        assertThatThrownBy(() -> PlanRecord.decode("x", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ContractViolation.class).hasMessageContaining("must be valid JSON");
        byte[] badType = Files.readString(PLAN).replace("\"brownout\"", "\"brown\"").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PlanRecord.decode("demo-brownout", badType)).isInstanceOf(PlanDecoder.PlanInvalid.class)
                .hasMessageContaining("drill_type");
    }
}

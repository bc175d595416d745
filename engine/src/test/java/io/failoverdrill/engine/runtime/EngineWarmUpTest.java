package io.failoverdrill.engine.runtime;

import io.failoverdrill.engine.core.Worlds;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up takes the path of a drill's first decisions, and leaves nothing behind that a second run could see. */
class EngineWarmUpTest {

    @ParameterizedTest
    @EnumSource(DrillType.class)
    void itReachesVerdictsPhasesAndCommandsOfEveryDrillTypeAndIsRepeatable(DrillType type) {
        DrillPlan plan = Worlds.plan(type);
        List<Decision> first = EngineWarmUp.run(plan);
        assertThat(first).hasAtLeastOneElementOfType(Verdict.class).hasAtLeastOneElementOfType(PhaseChange.class)
                .hasAtLeastOneElementOfType(Command.class);
        assertThat(EngineWarmUp.run(plan)).as("a second warm-up decides exactly as the first").isEqualTo(first);
    }
}

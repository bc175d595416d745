package io.failoverdrill.engine.runtime;

import io.failoverdrill.engine.core.DrillWorld;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up takes the path of a drill's first decisions, and leaves nothing behind that a second run could see. */
class EngineWarmUpTest {

    @ParameterizedTest
    @ValueSource(strings = {"brownout", "blackhole", "index_skew", "webhook_reroute", "return_home"})
    void itMakesTheFirstDecisionsOfEveryDrillTypeAndIsRepeatable(String type) {
        DrillPlan plan = DrillWorld.plan(type);
        List<Decision> first = EngineWarmUp.run(plan);
        assertThat(first).hasAtLeastOneElementOfType(Verdict.class).hasAtLeastOneElementOfType(PhaseChange.class);
        assertThat(EngineWarmUp.run(plan)).as("a second warm-up decides exactly as the first").isEqualTo(first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"brownout", "webhook_reroute", "return_home"})
    void drillsThatEvacuateReachTheirFirstCommands(String type) {
        assertThat(EngineWarmUp.run(DrillWorld.plan(type))).hasAtLeastOneElementOfType(Command.class);
    }
}

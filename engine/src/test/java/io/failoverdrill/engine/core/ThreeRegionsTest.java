package io.failoverdrill.engine.core;

import io.failoverdrill.engine.testing.DrillTestDriver;
import io.failoverdrill.engine.testing.SyntheticWorld.Setup;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static io.failoverdrill.engine.testing.SyntheticWorld.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Plans with three regions: the evacuated share goes to the healthy survivors, one writer, one verdict per check. */
class ThreeRegionsTest {
    static DrillPlan plan(DrillType type) {
        return Worlds.plan(type, p -> p.replace("\"regions\":[\"us-east\",\"eu-west\"]", "\"regions\":[\"us-east\",\"eu-west\",\"ap-south\"]"));
    }

    static List<Map<String, Integer>> weights(DrillTestDriver d) {
        return d.commands().stream().filter(c -> c.body() instanceof CommandBody.SetWeights)
                .map(c -> (Map<String, Integer>) ((CommandBody.SetWeights) c.body()).weights()).toList();
    }

    @ParameterizedTest
    @EnumSource(DrillType.class)
    void everyDrillTypePassesWithThreeRegionsAndOneVerdictPerCheck(DrillType type) {
        DrillTestDriver d = Worlds.run(plan(type), Setup.of(11), 150);
        assertThat(d.failedVerdicts()).as(d.decisionLog()).isEmpty();
        assertThat(d.phase()).isEqualTo(Phase.DONE);
        assertThat(d.verdicts().stream().map(Verdict::check).toList()).doesNotHaveDuplicates();
        assertThat(d.commands().stream().filter(c -> c.type().equals("promote_writer"))).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void theEvacuatedShareGoesToBothHealthySurvivorsInProportion() {
        DrillTestDriver d = Worlds.run(plan(DrillType.BROWNOUT), Setup.of(11), 90);
        assertThat(weights(d).get(0)).isEqualTo(Map.of("us-east", 0, "eu-west", 50, "ap-south", 50));
        Verdict ratio = d.verdict("p95_ratio").orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> regions = (Map<String, Object>) ratio.evidence().get("regions");
        assertThat(regions).containsOnlyKeys("eu-west", "ap-south");
        assertThat(d.commands()).filteredOn(c -> c.body() instanceof CommandBody.PromoteWriter)
                .extracting(c -> ((CommandBody.PromoteWriter) c.body()).region()).containsExactly("eu-west");
    }

    @Test
    void aSurvivorThatIsDownAtTheDecisionGetsNoTrafficAndTheOtherTakesIt() {
        DrillTestDriver d = Worlds.run(plan(DrillType.BROWNOUT), Setup.of(11).withTamper((ts, region, observer, t) ->
                region.equals("ap-south") && t instanceof Telemetry.Request r && ts >= T0 + 5000
                        ? new Telemetry.Request(3, 0, "connect", null, false, r.target()) : t), 90);
        assertThat(weights(d).get(0)).isEqualTo(Map.of("us-east", 0, "eu-west", 100, "ap-south", 0));
        for (Map<String, Integer> w : weights(d)) {
            assertThat(w.get("ap-south")).as("never traffic into the failing ap-south").isZero();
        }
        assertThat(d.verdict("survivor_healthy").orElseThrow().evidence()).containsEntry("unhealthy", List.of("ap-south"));
    }

    @Test
    void returnHomeRestoresThePreDrillSharesAlongTheGradualWeights() {
        DrillTestDriver d = Worlds.run(plan(DrillType.RETURN_HOME), Setup.of(11), 150);
        List<Map<String, Integer>> w = weights(d);
        assertThat(w.get(w.size() - 1)).isEqualTo(Map.of("us-east", 34, "eu-west", 33, "ap-south", 33));
        assertThat(w.stream().map(m -> m.values().stream().mapToInt(Integer::intValue).sum())).containsOnly(100);
    }

    @Test
    void bothSurvivorsFailingMeansNoCommandAtAll() {
        DrillTestDriver d = Worlds.run(plan(DrillType.BLACKHOLE), Setup.of(11).withTamper((ts, region, observer, t) ->
                !region.equals("us-east") && t instanceof Telemetry.Request r && ts >= T0 + 12_000
                        ? new Telemetry.Request(3000, 0, "timeout", null, false, r.target()) : t), 90);
        List<Command> commands = d.commands();
        assertThat(commands).isEmpty();
        assertThat(d.verdict("survivor_healthy").orElseThrow().failed()).isTrue();
        assertThat(d.phase()).isEqualTo(Phase.ABORTED);
    }
}

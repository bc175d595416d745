package io.failoverdrill.engine.core.drill;

import io.failoverdrill.schemas.decision.CommandBody;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SafetyInvariantsTest {
    final io.failoverdrill.engine.core.check.Milestones milestones = new io.failoverdrill.engine.core.check.Milestones();
    final SafetyInvariants safety = new SafetyInvariants(List.of("us-east", "eu-west"), milestones);
    final Set<String> bothHealthy = Set.of("us-east", "eu-west");

    @Test
    void weightsMustSumTo100AndNameOnlyPlanRegions() {
        assertThat(safety.violation(weights("us-east", 50, "eu-west", 40), 0, bothHealthy, false))
                .hasValueSatisfying(v -> assertThat(v).contains("sum to 100, got 90"));
        assertThat(safety.violation(weights("mars", 100), 0, bothHealthy, false))
                .hasValueSatisfying(v -> assertThat(v).contains("outside the plan"));
    }

    @Test
    void noTrafficIntoARegionThatIsNotHealthy() {
        assertThat(safety.violation(weights("us-east", 10, "eu-west", 90), 0, Set.of("eu-west"), false))
                .hasValueSatisfying(v -> assertThat(v).contains("[us-east], not healthy"));
        assertThat(safety.violation(weights("us-east", 0, "eu-west", 100), 0, Set.of("eu-west"), false))
                .isEmpty();
    }

    @Test
    void aPromoteNeedsTheOthersFrozenAndAHealthyTarget() {
        CommandBody promote = new CommandBody.PromoteWriter("eu-west");
        assertThat(safety.violation(promote, 0, bothHealthy, false))
                .hasValueSatisfying(v -> assertThat(v).contains("us-east is not frozen"));
        safety.frozen(List.of("us-east"));
        assertThat(safety.violation(promote, 0, bothHealthy, false)).isEmpty();
        assertThat(safety.violation(promote, 0, Set.of("us-east"), false))
                .hasValueSatisfying(v -> assertThat(v).contains("into a failure"));
    }

    @Test
    void routingMayNotFlipBackInsideTheStickLockOutUnlessTheRegionWasRepaired() {
        safety.issued(weights("us-east", 0, "eu-west", 100));
        milestones.stickIssued("eu-west", 15 * 60_000L);
        CommandBody back = weights("us-east", 50, "eu-west", 50);
        assertThat(safety.violation(back, 60_000, bothHealthy, false))
                .hasValueSatisfying(v -> assertThat(v).contains("flip back from eu-west"));
        assertThat(safety.violation(back, 60_000, bothHealthy, true)).as("a deliberate return home").isEmpty();
        assertThat(safety.violation(back, 16 * 60_000L, bothHealthy, false)).as("after the lock-out").isEmpty();
    }

    static CommandBody.SetWeights weights(Object... regionWeight) {
        java.util.TreeMap<String, Integer> w = new java.util.TreeMap<>();
        for (int i = 0; i < regionWeight.length; i += 2) {
            w.put((String) regionWeight[i], (Integer) regionWeight[i + 1]);
        }
        return new CommandBody.SetWeights(w);
    }
}

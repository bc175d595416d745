package io.failoverdrill.engine.core.drill;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class WeightsTest {
    static final List<String> THREE = List.of("us-east", "eu-west", "ap-south");

    @Test
    void evenGivesTheRemainderToTheFirstRegion() {
        assertThat(Weights.even(THREE)).isEqualTo(Map.of("us-east", 34, "eu-west", 33, "ap-south", 33));
    }

    @Test
    void drainSharesTheLeavingRegionsWeightInProportion() {
        Map<String, Integer> now = Map.of("us-east", 50, "eu-west", 30, "ap-south", 20);
        assertThat(Weights.drain(THREE, now, Set.of("us-east"), "eu-west", "latency"))
                .isEqualTo(Map.of("us-east", 0, "eu-west", 60, "ap-south", 40));
        assertThat(Weights.drain(THREE, now, Set.of("us-east"), "eu-west", "failover"))
                .isEqualTo(Map.of("us-east", 0, "eu-west", 100, "ap-south", 0));
        assertThat(Weights.drain(THREE, Map.of(), Set.of("us-east"), "eu-west", "weighted"))
                .as("evenly when unknown").isEqualTo(Map.of("us-east", 0, "eu-west", 50, "ap-south", 50));
    }

    @Test
    void restoreBringsTheHomeBackToAPercentOfItsShareAndScalesTheOthers() {
        Map<String, Integer> before = Weights.even(THREE);
        assertThat(Weights.restore(THREE, before, List.of("us-east"), 10, "eu-west"))
                .isEqualTo(Map.of("us-east", 3, "eu-west", 49, "ap-south", 48));
        assertThat(Weights.restore(THREE, before, List.of("us-east"), 100, "eu-west")).isEqualTo(before);
    }

    @Property(tries = 300, seed = "20261206")
    void weightsAlwaysSumTo100AndExcludedRegionsGetNothing(@ForAll @IntRange(min = 0, max = 100) int a,
                                                           @ForAll @IntRange(min = 0, max = 100) int b,
                                                           @ForAll @IntRange(min = 1, max = 100) int percent) {
        Map<String, Integer> now = new TreeMap<>(Map.of("us-east", a, "eu-west", b, "ap-south", 100 - Math.min(100, a)));
        TreeMap<String, Integer> drained = Weights.drain(THREE, now, Set.of("us-east"), "eu-west", "latency");
        assertThat(drained.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(drained.get("us-east")).isZero();
        TreeMap<String, Integer> restored = Weights.restore(THREE, Weights.even(THREE), List.of("us-east"), percent, "eu-west");
        assertThat(restored.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(restored.values()).allMatch(w -> w >= 0);
    }
}

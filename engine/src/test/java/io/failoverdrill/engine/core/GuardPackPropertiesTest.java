package io.failoverdrill.engine.core;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.GuardPolicy;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@link GuardPack} decides for each of its guards exactly what a {@link GuardCore} of its own decides on the same
 * stream — whatever the guards' regions, thresholds, windows, dwell and clock settings, whatever the traffic (the
 * worlds of {@link GuardSnapshotPropertiesTest}, plus an emergency stop of one guard) — and a pack restored from a
 * snapshot continues exactly as the uninterrupted one.
 */
class GuardPackPropertiesTest {
    static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");

    @Property(tries = 30, seed = "20261207")
    void eachGuardOfAPackDecidesAsItsOwnCore(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        Random random = new Random(seed);
        List<DrillPlan> policies = policies(random, 2 + random.nextInt(5));
        List<InputEvent> events = world(random, policies);

        GuardPack pack = new GuardPack();
        policies.forEach(pack::add);
        Map<String, List<String>> byGuard = new LinkedHashMap<>();
        policies.forEach(p -> byGuard.put(p.drillId(), new ArrayList<>()));
        events.forEach(e -> pack.accept(e).forEach(d -> byGuard.get(d.drillId()).add(Codec.encodeToString(d))));

        Map<String, com.fasterxml.jackson.databind.JsonNode> packed = new java.util.TreeMap<>();
        Map<Long, com.fasterxml.jackson.databind.JsonNode> clocks = new java.util.TreeMap<>();
        for (var clock : pack.snapshot().get("clocks")) {
            clock.get("guards").forEach(g -> packed.put(g.get("id").asText(), g));
            clocks.put(clock.get("allowed_lateness_ms").longValue(), clock.get("intake"));
        }
        for (DrillPlan p : policies) {
            GuardCore core = new GuardCore(p);
            List<String> decided = new ArrayList<>();
            events.forEach(e -> core.accept(e).forEach(d -> decided.add(Codec.encodeToString(d))));
            assertThat(byGuard.get(p.drillId())).as(p.drillId()).isEqualTo(decided);
            // and the same state: every region's seconds, the clamps, the stops; the same clock and remembered ids
            var own = core.snapshot();
            var intake = (com.fasterxml.jackson.databind.node.ObjectNode) own.remove("intake");
            own.remove("kind");
            assertThat(packed.get(p.drillId())).as(p.drillId()).isEqualTo(own);
            var shared = clocks.get(p.allowedLatenessMs());
            assertThat(shared.get("clock")).isEqualTo(intake.get("clock"));
            assertThat(shared.get("seen")).isEqualTo(intake.get("seen"));
            assertThat(shared.get("last_tick_ms")).isEqualTo(intake.get("last_tick_ms"));
        }
    }

    @Property(tries = 30, seed = "20261207")
    void aRestoredPackDecidesAsTheUninterruptedOne(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                                   @ForAll @IntRange(min = 0, max = 100) int cutPercent) {
        Random random = new Random(seed);
        List<DrillPlan> policies = policies(random, 2 + random.nextInt(4));
        List<InputEvent> events = world(random, policies);
        int cut = events.size() * cutPercent / 100;

        GuardPack uninterrupted = pack(policies);
        List<String> expected = new ArrayList<>();
        events.forEach(e -> uninterrupted.accept(e).forEach(d -> expected.add(Codec.encodeToString(d))));

        GuardPack before = pack(policies);
        List<String> actual = new ArrayList<>();
        events.subList(0, cut).forEach(e -> before.accept(e).forEach(d -> actual.add(Codec.encodeToString(d))));
        GuardPack after = pack(policies);
        after.restore(Codec.parse(before.snapshot().toString().getBytes(StandardCharsets.UTF_8)));
        events.subList(cut, events.size()).forEach(e -> after.accept(e).forEach(d -> actual.add(Codec.encodeToString(d))));

        assertThat(actual).isEqualTo(expected);
        assertThat(after.snapshot()).isEqualTo(uninterrupted.snapshot());
    }

    @Property(tries = 20, seed = "20261207")
    void aGuardJoiningOrLeavingChangesNothingForTheOthers(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                                          @ForAll @IntRange(min = 0, max = 100) int joinPercent,
                                                          @ForAll @IntRange(min = 0, max = 100) int leavePercent) {
        Random random = new Random(seed);
        List<DrillPlan> policies = policies(random, 3);
        List<InputEvent> events = world(random, policies);
        int join = events.size() * joinPercent / 100;
        int leave = events.size() * leavePercent / 100;
        DrillPlan joining = policies.get(0);
        DrillPlan leaving = policies.get(1);
        DrillPlan staying = policies.get(2);

        GuardPack pack = new GuardPack();
        pack.add(leaving);
        pack.add(staying);
        List<String> stayingDecided = new ArrayList<>();
        List<String> joiningDecided = new ArrayList<>();
        for (int i = 0; i <= events.size(); i++) {
            if (i == join) {
                pack.add(joining);
            }
            if (i == leave) {
                assertThat(pack.remove(leaving.drillId())).isTrue();
            }
            if (i == events.size()) {
                break;
            }
            for (Decision d : pack.accept(events.get(i))) {
                if (d.drillId().equals(staying.drillId())) {
                    stayingDecided.add(Codec.encodeToString(d));
                } else if (d.drillId().equals(joining.drillId())) {
                    joiningDecided.add(Codec.encodeToString(d));
                } else {
                    assertThat(i).as("no decision of a guard after it left").isLessThan(leave);
                }
            }
        }
        assertThat(stayingDecided).isEqualTo(alone(staying, events));
        if (join == 0) {
            assertThat(joiningDecided).isEqualTo(alone(joining, events));
        }
        assertThat(pack.guards()).contains(joining.drillId(), staying.drillId()).doesNotContain(leaving.drillId());
    }

    @Test
    void inAPackOnlyTheGuardsWatchingTheDegradedRegionClamp() {
        Random random = new Random(11);
        List<DrillPlan> policies = new ArrayList<>(policies(random, 6));
        policies.set(0, policy("guard-0", List.of("eu-west", "ap-south"), 150, 5, 2, 2000));
        GuardPack pack = pack(policies);
        Map<String, Integer> commands = new java.util.TreeMap<>();
        world(random, policies).forEach(e -> pack.accept(e).stream().filter(d -> d.type().equals("clamp"))
                .forEach(d -> commands.merge(d.drillId(), 1, Integer::sum)));
        assertThat(commands).as("the guards watching us-east clamp").isNotEmpty().doesNotContainKey("guard-0");
    }

    @Test
    void aSnapshotRestoresOnlyAPackOfTheSameGuardsUnderTheSamePolicies() {
        List<DrillPlan> policies = policies(new Random(3), 3);
        GuardPack pack = pack(policies);
        var snapshot = pack.snapshot();

        assertThatThrownBy(() -> pack(policies.subList(0, 2)).restore(snapshot))
                .hasMessage("the snapshot's guards differ from the pack's: not in the pack [guard-2], not in the snapshot []");
        List<DrillPlan> retuned = new ArrayList<>(policies);
        retuned.set(1, policy("guard-1", List.of("us-east", "eu-west"), 999, 10, 5, 2000));
        assertThatThrownBy(() -> pack(retuned).restore(snapshot))
                .hasMessage("snapshot of guard 'guard-1' was taken under another policy");
        assertThatThrownBy(() -> pack(policies).restore(new GuardCore(policies.get(0)).snapshot()))
                .hasMessage("a snapshot of kind 'guard' cannot restore a guard pack");
        assertThatThrownBy(() -> pack.add(policies.get(0))).hasMessage("guard 'guard-0' is in the pack already");
    }

    private static GuardPack pack(List<DrillPlan> policies) {
        GuardPack pack = new GuardPack();
        policies.forEach(pack::add);
        return pack;
    }

    private static List<String> alone(DrillPlan policy, List<InputEvent> events) {
        GuardCore core = new GuardCore(policy);
        List<String> out = new ArrayList<>();
        events.forEach(e -> core.accept(e).forEach(d -> out.add(Codec.encodeToString(d))));
        return out;
    }

    /** {@code n} guards {@code guard-0 …}: two or three regions each, thresholds 150–700 ms, two clock settings. */
    static List<DrillPlan> policies(Random random, int n) {
        List<DrillPlan> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> regions = new ArrayList<>(REGIONS);
            java.util.Collections.shuffle(regions, random);
            out.add(policy("guard-" + i, regions.subList(0, 2 + random.nextInt(2)), 150 + random.nextInt(550),
                    5 + random.nextInt(11), 2 + random.nextInt(9), random.nextBoolean() ? 2000 : 5000));
        }
        return out;
    }

    static DrillPlan policy(String id, List<String> regions, int p95Ms, int windowS, int hysteresisS, long latenessMs) {
        String json = """
                {"guard_id": "%s", "regions": [%s],
                 "detect": {"window_s": %d, "p95_ms": %d}, "routing": {"hysteresis_s": %d},
                 "clamp": {"initial_limit": 64, "min_limit": 4, "backoff_ratio": 0.5},
                 "rag_probe": {"k": 10, "dualhome_k": 5, "delta_s_risk": 0.60},
                 "allowed_lateness_ms": %d, "timeline": {"stale_observer_s": 10}}
                """.formatted(id, String.join(", ", regions.stream().map(r -> "\"" + r + "\"").toList()), windowS, p95Ms,
                hysteresisS, latenessMs);
        return GuardPolicy.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link GuardSnapshotPropertiesTest#world}'s traffic (us-east and eu-west; ap-south is watched by some guards and
     * never heard from), with an emergency stop of one guard and its clearing at random places.
     */
    static List<InputEvent> world(Random random, List<DrillPlan> policies) {
        List<InputEvent> events = new ArrayList<>(GuardSnapshotPropertiesTest.world(random));
        String scope = policies.get(random.nextInt(policies.size())).drillId();
        int stopAt = random.nextInt(events.size());
        int clearAt = stopAt + random.nextInt(events.size() - stopAt);
        long ts = events.get(stopAt).tsMs();
        events.add(clearAt, new StopEvent("clear-" + scope, ts, scope, null, true));
        events.add(stopAt, new StopEvent("stop-" + scope, ts, scope, "one guard paused", false));
        return events;
    }
}

package io.failoverdrill.engine.core;

import io.failoverdrill.engine.core.drill.PhaseMachine;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillType;
import io.failoverdrill.engine.testing.DrillTestDriver;
import io.failoverdrill.engine.testing.SyntheticWorld;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Seeded property tests of the core's determinism and safety invariants. */
class DeterminismPropertiesTest {

    static String replay(List<InputEvent> events, DrillType type) {
        DrillTestDriver d = DrillTestDriver.drill(Worlds.plan(type));
        d.pipeAll(events);
        return d.decisionLog();
    }

    @Property(tries = 8, seed = "20261129")
    void reorderingWithinTheAllowedLatenessChangesNothing(@ForAll DrillType type,
                                                          @ForAll @LongRange(min = 1, max = 1000) long seed) {
        DrillTestDriver world = Worlds.run(type, seed);
        SplittableRandom r = new SplittableRandom(seed);
        long lateness = Worlds.plan(type).allowedLatenessMs();
        record Keyed(long key, int index, InputEvent e) {
        }
        List<Keyed> keyed = new ArrayList<>();
        List<InputEvent> original = world.inputs();
        for (int i = 0; i < original.size(); i++) {
            keyed.add(new Keyed(original.get(i).tsMs() + r.nextLong(lateness / 2), i, original.get(i)));
        }
        keyed.sort(Comparator.comparingLong(Keyed::key).thenComparingInt(Keyed::index));
        List<InputEvent> shuffled = keyed.stream().map(Keyed::e).toList();
        assertThat(shuffled).isNotEqualTo(original);
        assertThat(replay(shuffled, type)).isEqualTo(world.decisionLog());
    }

    @Property(tries = 5, seed = "20261129")
    void duplicatesChangeNothing(@ForAll DrillType type, @ForAll @LongRange(min = 1, max = 1000) long seed) {
        DrillTestDriver world = Worlds.run(type, seed);
        SplittableRandom r = new SplittableRandom(seed);
        List<InputEvent> withDuplicates = new ArrayList<>();
        List<InputEvent> recent = new ArrayList<>();
        for (InputEvent e : world.inputs()) {
            withDuplicates.add(e);
            recent.add(e);
            if (recent.size() > 20) {
                recent.remove(0);
            }
            if (r.nextInt(4) == 0) {
                withDuplicates.add(recent.get(r.nextInt(recent.size()))); // a redelivery, soon after
            }
        }
        assertThat(replay(withDuplicates, type)).isEqualTo(world.decisionLog());
    }

    @Property(tries = 25, seed = "20261129")
    void safetyInvariantsHoldUnderRandomWorlds(@ForAll DrillType type,
                                               @ForAll @LongRange(min = 1, max = 100_000) long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Set<String> down = new HashSet<>();
        for (String o : SyntheticWorld.OBSERVERS) {
            if (r.nextBoolean()) {
                down.add(o);
            }
        }
        SyntheticWorld.Setup setup = SyntheticWorld.Setup.of(seed)
                .withDown(down, r.nextInt(4))
                .breaking(r.nextInt(5) == 0, r.nextBoolean(), r.nextInt(3) == 0, 1 + r.nextDouble());
        assertInvariants(Worlds.run(type, setup).decisions(), Worlds.plan(type).regions());
    }

    @Property(tries = 8, seed = "20261129")
    void noFailoverWhenFewerThanQuorumObserversSeeTheOutage(@ForAll @LongRange(min = 1, max = 100_000) long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String one = SyntheticWorld.OBSERVERS.get(r.nextInt(SyntheticWorld.OBSERVERS.size())); // quorum is 2
        DrillTestDriver world = Worlds.run(DrillType.BLACKHOLE, SyntheticWorld.Setup.of(seed).withDown(Set.of(one), 0));
        assertThat(world.commands()).isEmpty();
    }

    @Property(tries = 8, seed = "20261129")
    void noRoutingChangeWhenTheSignalOscillatesFasterThanTheDwell(@ForAll @LongRange(min = 1, max = 100_000) long seed,
                                                                   @ForAll @LongRange(min = 1, max = 2) long periodS) {
        // dwell is 3 s: an outage that flips every 1 or 2 s never holds long enough
        DrillTestDriver world = Worlds.run(DrillType.BLACKHOLE, SyntheticWorld.Setup.of(seed)
                .withDown(Set.of("obs-a", "obs-b", "obs-c"), (int) periodS));
        assertThat(world.commands()).isEmpty();
    }

    static void assertInvariants(List<Decision> log, List<String> regions) {
        Set<String> frozen = new HashSet<>();
        Set<String> promoted = new HashSet<>();
        for (int i = 0; i < log.size(); i++) {
            Decision d = log.get(i);
            assertThat(d.seq()).isEqualTo(i + 1);
            if (i > 0) {
                assertThat(d.tsMs()).isGreaterThanOrEqualTo(log.get(i - 1).tsMs());
            }
            if (d instanceof PhaseChange p) {
                assertThat(PhaseMachine.allowed(p.from(), p.to())).as(p.from() + " → " + p.to()).isTrue();
            }
            if (d instanceof Command c) {
                assertThat(c.commandId()).isEqualTo(Command.idOf(c.drillId(), c.seq(), c.body()));
                if (c.body() instanceof CommandBody.SetWeights w) {
                    assertThat(w.weights().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
                    assertThat(w.weights().values()).anyMatch(v -> v > 0);
                }
                if (c.body() instanceof CommandBody.FreezeWrites f) {
                    frozen.addAll(f.regions());
                }
                if (c.body() instanceof CommandBody.PromoteWriter p) {
                    assertThat(promoted.add(p.region())).as("one promotion per region").isTrue();
                    for (String r : regions) {
                        if (!r.equals(p.region())) {
                            assertThat(frozen).as("followers frozen before a promote").contains(r);
                        }
                    }
                }
            }
        }
        assertThat(promoted).hasSizeLessThanOrEqualTo(1);
    }
}

package io.failoverdrill.engine.core;

import io.failoverdrill.engine.testing.DrillTestDriver;
import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static io.failoverdrill.engine.testing.SyntheticWorld.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Across random schedules of region health (each region down for some observers over random windows), no command
 * ever gives weight &gt; 0 to a region the detection rule calls down — a quorum of its observers failing throughout
 * the health window before the decision — while another region is drained, nor promotes a writer into it.
 */
class NeverFailOverIntoAFailureTest {
    static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");

    /** Region {@code region} fails for {@code observers} over [fromMs, untilMs). */
    record Down(String region, Set<String> observers, long fromMs, long untilMs) {
        boolean covers(String r, String observer, long ts) {
            return r.equals(region) && observers.contains(observer) && ts >= fromMs && ts < untilMs;
        }
    }

    @Property(tries = 40, seed = "20261206")
    void noTrafficOrWriterMovesIntoARegionTheRuleCallsDown(@ForAll DrillType type,
                                                           @ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Down> schedule = new ArrayList<>();
        int outages = 1 + r.nextInt(4);
        for (int i = 0; i < outages; i++) {
            Set<String> observers = new TreeSet<>();
            SyntheticWorld.OBSERVERS.forEach(o -> {
                if (r.nextInt(3) > 0) {
                    observers.add(o);
                }
            });
            long from = T0 + (5 + r.nextInt(60)) * 1000L;
            schedule.add(new Down(REGIONS.get(1 + r.nextInt(2)), observers, from, from + (3 + r.nextInt(40)) * 1000L));
        }
        DrillPlan plan = Worlds.plan(type, p -> p.replace("\"regions\":[\"us-east\",\"eu-west\"]",
                "\"regions\":[\"us-east\",\"eu-west\",\"ap-south\"]"));
        DrillTestDriver d = Worlds.run(plan, SyntheticWorld.Setup.of(seed).withTamper((ts, region, observer, t) ->
                t instanceof Telemetry.Request q && schedule.stream().anyMatch(x -> x.covers(region, observer, ts))
                        ? new Telemetry.Request(2, 0, "connect", null, false, q.target()) : t), 120);

        long windowMs = plan.detect().healthWindowS() * 1000L;
        for (Command c : d.commands()) {
            Set<String> down = calledDown(schedule, plan.detect().quorum(), c.tsMs() - windowMs, c.tsMs());
            if (c.body() instanceof CommandBody.SetWeights w && w.weights().containsValue(0)) {
                for (Map.Entry<String, Integer> e : w.weights().entrySet()) {
                    assertThat(e.getValue() == 0 || !down.contains(e.getKey()))
                            .as("seq %d gives %s weight %d while it is down (%s)\n%s", c.seq(), e.getKey(), e.getValue(),
                                    schedule, d.decisionLog()).isTrue();
                }
            }
            if (c.body() instanceof CommandBody.PromoteWriter p) {
                assertThat(down).as("promotes %s while it is down", p.region()).doesNotContain(p.region());
            }
        }
    }

    /** Regions a quorum of observers saw failing throughout [fromMs, untilMs) (the lateness and ticks aside). */
    static Set<String> calledDown(List<Down> schedule, int quorum, long fromMs, long untilMs) {
        Set<String> out = new TreeSet<>();
        for (String region : REGIONS) {
            long failing = SyntheticWorld.OBSERVERS.stream().filter(o -> schedule.stream().anyMatch(x ->
                    x.region().equals(region) && x.observers().contains(o) && x.fromMs() <= fromMs - 3000
                            && x.untilMs() >= untilMs)).count();
            if (failing >= quorum) {
                out.add(region);
            }
        }
        return out;
    }
}

package io.failoverdrill.engine.core;

import io.failoverdrill.engine.testing.DrillTestDriver;
import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.failoverdrill.engine.testing.SyntheticWorld.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The emergency stop (docs/contracts.md §7) in the core: acts on arrival, nothing after it, starts refused until cleared. */
class EmergencyStopTest {

    @Test
    void aStopMidDrillEndsItStoppedWithTheStopAsEvidenceAndNothingFollows() {
        DrillTestDriver d = Worlds.run(Worlds.plan(DrillType.BROWNOUT), SyntheticWorld.Setup.of(7), 25);
        assertThat(d.phase()).as("the drill is under way").isNotIn(Phase.IDLE, Phase.DONE, Phase.ABORTED);
        assertThat(d.commands()).as("it has issued commands").isNotEmpty();
        Phase before = d.phase();
        long lastSeq = d.core().lastSeq();

        List<Decision> made = d.viaCodec().stop("all", T0 + 25_000, "incident INC-1: stop every drill");

        assertThat(made).singleElement().isInstanceOfSatisfying(PhaseChange.class, pc -> {
            assertThat(pc.from()).isEqualTo(before);
            assertThat(pc.to()).isEqualTo(Phase.STOPPED);
            assertThat(pc.seq()).isEqualTo(lastSeq + 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> stop = (Map<String, Object>) pc.evidence().get("stop");
            assertThat(stop).containsEntry("scope", "all").containsEntry("reason", "incident INC-1: stop every drill");
            assertThat(Codec.encodeToString(Codec.decodeDecision(Codec.encode(pc)))).isEqualTo(Codec.encodeToString(pc));
        });
        // acks of what was in flight, an abort, more time: nothing is decided any more
        List<Decision> after = new java.util.ArrayList<>();
        for (Command c : d.commands()) {
            after.addAll(d.ack(c, T0 + 26_000));
        }
        after.addAll(d.control("abort", T0 + 27_000));
        after.addAll(d.advanceEventTime(Duration.ofSeconds(120)));
        assertThat(after).isEmpty();
        assertThat(d.phase()).isEqualTo(Phase.STOPPED);
        assertThat(d.core().over()).as("a stopped drill is over: a restart reads no more of it").isTrue();
    }

    @Test
    void aStopActsOnArrivalNotWhenTheWatermarkPassesItsTimestamp() {
        DrillTestDriver d = Worlds.run(Worlds.plan(DrillType.BROWNOUT), SyntheticWorld.Setup.of(7), 25);
        // an operator's clock far ahead of event time: still immediate
        assertThat(d.stop("all", T0 + 3_600_000, "ahead")).extracting(Decision::type).containsExactly("phase");
        assertThat(d.phase()).isEqualTo(Phase.STOPPED);
    }

    @Test
    void aStopOfAnotherDrillChangesNothing() {
        DrillTestDriver d = Worlds.run(Worlds.plan(DrillType.BROWNOUT), SyntheticWorld.Setup.of(7), 25);
        Phase before = d.phase();
        assertThat(d.stop("some-other-drill", T0 + 25_000, "not you")).isEmpty();
        assertThat(d.phase()).isEqualTo(before);
    }

    @Test
    void whileAStopIsInForceAStartIsRefusedAndOnceClearedTheDrillStarts() {
        DrillPlan plan = Worlds.plan(DrillType.BROWNOUT);
        DrillTestDriver d = DrillTestDriver.drill(plan);
        d.pipe(plan.regions().get(0), "obs-a", T0, new io.failoverdrill.schemas.event.Telemetry.Heartbeat());
        assertThat(d.stop(plan.drillId(), T0, "freeze")).as("an idle drill logs nothing").isEmpty();

        ControlEvent start = new ControlEvent("start-1", T0 + 1000, plan.drillId(), "start", null);
        assertThat(d.core().refusal(start)).contains("emergency stop '" + plan.drillId() + "'").contains("cleared");
        d.pipe(start);
        d.advanceEventTime(Duration.ofSeconds(10)); // well past the start's ts plus the allowed lateness
        assertThat(d.phase()).isEqualTo(Phase.IDLE);
        assertThat(d.decisions()).isEmpty();

        d.clearStop(plan.drillId());
        ControlEvent again = new ControlEvent("start-2", T0 + 11_000, plan.drillId(), "start", null);
        assertThat(d.core().refusal(again)).isNull();
        d.pipe(again);
        d.advanceEventTime(Duration.ofSeconds(10));
        assertThat(d.phase()).isEqualTo(Phase.PRECHECK);
    }

    @Test
    void aStartThatArrivedButWasNotYetAppliedIsDroppedByAStop() {
        DrillPlan plan = Worlds.plan(DrillType.BROWNOUT);
        DrillTestDriver d = DrillTestDriver.drill(plan);
        d.pipe(plan.regions().get(0), "obs-a", T0, new io.failoverdrill.schemas.event.Telemetry.Heartbeat());
        d.control("start", T0 + 500); // waits for the watermark to pass it
        d.stop("all", T0 + 400, "before the start took");
        d.advanceEventTime(Duration.ofSeconds(10));
        assertThat(d.phase()).isEqualTo(Phase.IDLE);
    }

    @Test
    void clearingOneScopeLeavesAStopOfAllInForce() {
        DrillPlan plan = Worlds.plan(DrillType.BROWNOUT);
        DrillTestDriver d = DrillTestDriver.drill(plan);
        d.stop("all", T0, "everything");
        d.stop(plan.drillId(), T0, "this one");
        d.clearStop(plan.drillId());
        assertThat(d.core().refusal(new ControlEvent("s", T0, plan.drillId(), "start", null))).contains("'all'");
        d.clearStop("all");
        assertThat(d.core().refusal(new ControlEvent("s", T0, plan.drillId(), "start", null))).isNull();
    }

    @Test
    void aStoppedGuardClampsNothingUntilClearedThenWatchesAgain() throws Exception {
        DrillPlan policy = GuardCoreTest.policy();
        DrillTestDriver g = DrillTestDriver.guard(policy);
        // us-east degraded throughout: a free guard clamps it within the run
        List<io.failoverdrill.schemas.event.InputEvent> traffic = GuardCoreTest.traffic(120, s -> 400);
        assertThat(GuardCoreTest.run(policy, traffic)).as("a free guard clamps").isNotEmpty();

        List<Decision> stopped = g.stop(policy.drillId(), T0, "hands off");
        assertThat(stopped).singleElement().isInstanceOfSatisfying(PhaseChange.class,
                pc -> assertThat(pc.to()).isEqualTo(Phase.STOPPED));
        assertThat(g.pipeAll(traffic.subList(0, traffic.size() / 2))).as("nothing while stopped").isEmpty();
        assertThat(g.phase()).isEqualTo(Phase.STOPPED);
        assertThat(g.core().over()).as("a stopped guard is paused, not over: a restart goes on reading").isFalse();

        List<Decision> resumed = g.clearStop(policy.drillId());
        assertThat(resumed).singleElement().isInstanceOfSatisfying(PhaseChange.class,
                pc -> assertThat(pc.to()).isEqualTo(Phase.OBSERVE));
        assertThat(g.pipeAll(traffic.subList(traffic.size() / 2, traffic.size()))).extracting(Decision::type)
                .as("clamps again once cleared").contains("clamp");
    }
}

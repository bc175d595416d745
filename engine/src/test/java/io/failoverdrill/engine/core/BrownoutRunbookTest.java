package io.failoverdrill.engine.core;

import io.failoverdrill.engine.core.drill.PhaseMachine;
import io.failoverdrill.engine.testing.DrillTestDriver;
import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.failoverdrill.engine.testing.SyntheticWorld.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The brownout runbook driven by hand: telemetry from an open-loop world, the test as the actuator. */
class BrownoutRunbookTest {
    static final DrillPlan PLAN = Worlds.plan(DrillType.BROWNOUT);

    /** {@code seconds} of telemetry; every command acked {@code ackDelayMs} after it was decided (never, if negative). */
    static DrillTestDriver drive(int seconds, long ackDelayMs) {
        DrillTestDriver d = DrillTestDriver.drill(PLAN);
        SyntheticWorld telemetry = SyntheticWorld.openLoop(PLAN, SyntheticWorld.Setup.of(42));
        d.control("start", T0 + 300);
        List<Command> unacked = new ArrayList<>();
        long until = T0 + seconds * 1000L;
        for (List<InputEvent> batch = telemetry.nextEvents(100); batch.get(0).tsMs() < until; batch = telemetry.nextEvents(100)) {
            for (InputEvent e : batch) {
                while (ackDelayMs >= 0 && !unacked.isEmpty() && unacked.get(0).tsMs() + ackDelayMs <= e.tsMs()) {
                    Command c = unacked.remove(0);
                    d.ack(c, c.tsMs() + ackDelayMs);
                }
                d.pipe(e).stream().filter(x -> x instanceof Command).forEach(x -> unacked.add((Command) x));
            }
        }
        return d;
    }

    @Test
    void evacuatesInTheRunbookOrderAndPassesTheCutoverTarget() {
        DrillTestDriver d = drive(45, 1500);
        assertThat(d.commands()).extracting(Command::type).containsExactly("freeze_writes", "set_weights", "promote_writer", "stick");
        assertThat(d.decisions().stream().filter(x -> x instanceof PhaseChange).map(x -> ((PhaseChange) x).to()))
                .containsExactly(Phase.PRECHECK, Phase.EVACUATE, Phase.PROMOTE, Phase.OBSERVE, Phase.VERIFY,
                        Phase.CLOSEOUT, Phase.DONE);
        Command weights = d.commands().stream().filter(c -> c.type().equals("set_weights")).findFirst().orElseThrow();
        assertThat(((CommandBody.SetWeights) weights.body()).weights()).isEqualTo(Map.of("us-east", 0, "eu-west", 100));
        Command freeze = d.commands().get(0);
        assertThat(((CommandBody.FreezeWrites) freeze.body()).regions()).containsExactly("us-east");

        Verdict cutover = d.verdict("cutover_time").orElseThrow();
        assertThat(cutover.pass()).isTrue();
        // evacuate acked at +1.5 s; the promote decided once the watermark (2 s behind) passes it; its acks 1.5 s later
        assertThat((Double) cutover.value()).isBetween(3.0, 7.0);
        List<Decision> log = d.decisions();
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).seq()).isEqualTo(i + 1);
        }
    }

    @Test
    void missingAcksFailTheCutoverAtTheDeadlineAndAbort() {
        DrillTestDriver d = drive(60, -1);
        Verdict cutover = d.verdict("cutover_time").orElseThrow();
        assertThat(cutover.pass()).isFalse();
        assertThat(cutover.evidence()).containsEntry("cause", "acks missing at the deadline");
        assertThat((Double) cutover.value()).isGreaterThan(PLAN.acceptance().cutoverS());
        assertThat(d.phase()).isEqualTo(Phase.ABORTED);
        assertThat(d.commands()).extracting(Command::type).doesNotContain("promote_writer");
    }

    @Test
    void heartbeatsAloneMoveEventTimeAndTheDrillGoesOnWithoutTelemetry() {
        DrillTestDriver d = drive(15, 1500);
        long before = d.watermarkMs();
        assertThat(d.phase()).isEqualTo(Phase.EVACUATE);
        d.advanceEventTime(Duration.ofSeconds(40)); // nobody acks: the cutover deadline passes in event time
        assertThat(d.watermarkMs()).isGreaterThanOrEqualTo(before + 39_000);
        assertThat(d.phase()).isEqualTo(Phase.ABORTED);
    }

    @Test
    void illegalPhaseTransitionsThrow() {
        PhaseMachine m = new PhaseMachine();
        assertThatThrownBy(() -> m.moveTo(Phase.PROMOTE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("idle → promote");
    }
}

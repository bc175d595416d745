package io.failoverdrill.engine.core;

import io.failoverdrill.engine.core.drill.PhaseMachine;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.event.InputEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.failoverdrill.engine.core.DrillScenario.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrownoutRunbookTest {

    private static List<Decision> runScenario(double survivorFactor) {
        List<InputEvent> events = new ArrayList<>(DrillScenario.telemetry(42, 45, survivorFactor));
        events.add(5, DrillScenario.start(T0 + 300));
        return DrillScenario.run(new DrillCore(DrillScenario.plan()), events, 1500);
    }

    @Test
    void evacuatesInTheRunbookOrderAndPassesTheTargets() {
        List<Decision> log = runScenario(1.0);

        assertThat(log.stream().filter(d -> d instanceof Command).map(Decision::type))
                .containsExactly("freeze_writes", "set_weights", "promote_writer", "stick");
        assertThat(log.stream().filter(d -> d instanceof PhaseChange).map(d -> ((PhaseChange) d).to()))
                .containsExactly(Phase.PRECHECK, Phase.EVACUATE, Phase.PROMOTE, Phase.OBSERVE, Phase.VERIFY,
                        Phase.CLOSEOUT, Phase.DONE);
        Command weights = (Command) log.stream().filter(d -> d.type().equals("set_weights")).findFirst().orElseThrow();
        assertThat(((CommandBody.SetWeights) weights.body()).weights()).isEqualTo(Map.of("us-east", 0, "eu-west", 100));
        Command freeze = (Command) log.stream().filter(d -> d.type().equals("freeze_writes")).findFirst().orElseThrow();
        assertThat(((CommandBody.FreezeWrites) freeze.body()).regions()).containsExactly("us-east");

        Verdict cutover = verdict(log, "cutover_time");
        assertThat(cutover.pass()).isTrue();
        // evacuate acks at +1.5 s, promote decided on the next whole second, its acks 1.5 s later
        assertThat((Double) cutover.value()).isBetween(3.0, 4.0);
        Verdict p95 = verdict(log, "p95_ratio");
        assertThat(p95.pass()).isTrue();
        assertThat((Double) p95.value()).isBetween(0.8, 1.2);
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).seq()).isEqualTo(i + 1);
        }
    }

    @Test
    void aSlowSurvivorFailsTheP95Target() {
        Verdict p95 = verdict(runScenario(1.6), "p95_ratio");
        assertThat(p95.pass()).isFalse();
        assertThat((Double) p95.value()).isGreaterThan(1.25);
    }

    @Test
    void sameInputGivesByteIdenticalLogEvenWithEveryEventDuplicated() {
        List<InputEvent> events = new ArrayList<>(DrillScenario.telemetry(7, 45, 1.0));
        events.add(5, DrillScenario.start(T0 + 300));
        List<InputEvent> doubled = new ArrayList<>();
        events.forEach(e -> {
            doubled.add(e);
            doubled.add(e);
        });
        String once = DrillScenario.text(DrillScenario.run(new DrillCore(DrillScenario.plan()), events, 1500));
        String again = DrillScenario.text(DrillScenario.run(new DrillCore(DrillScenario.plan()), events, 1500));
        String twice = DrillScenario.text(DrillScenario.run(new DrillCore(DrillScenario.plan()), doubled, 1500));
        assertThat(again).isEqualTo(once);
        assertThat(twice).isEqualTo(once);
        assertThat(once).contains("\"check\":\"cutover_time\"");
    }

    @Test
    void missingAcksFailTheCutoverAtTheDeadlineAndAbort() {
        List<InputEvent> events = new ArrayList<>(DrillScenario.telemetry(3, 60, 1.0));
        events.add(5, DrillScenario.start(T0 + 300));
        DrillCore core = new DrillCore(DrillScenario.plan());
        List<Decision> log = new ArrayList<>();
        events.forEach(e -> log.addAll(core.accept(e)));
        Verdict cutover = verdict(log, "cutover_time");
        assertThat(cutover.pass()).isFalse();
        assertThat(cutover.evidence()).containsEntry("cause", "acks missing at the deadline");
        assertThat(core.phase()).isEqualTo(Phase.ABORTED);
        assertThat(log.stream().map(Decision::type)).doesNotContain("promote_writer");
    }

    @Test
    void illegalPhaseTransitionsThrow() {
        PhaseMachine m = new PhaseMachine();
        assertThatThrownBy(() -> m.moveTo(Phase.PROMOTE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("idle → promote");
    }

    static Verdict verdict(List<Decision> log, String check) {
        return (Verdict) log.stream().filter(d -> d instanceof Verdict v && v.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no verdict " + check + " in\n" + DrillScenario.text(log)));
    }
}

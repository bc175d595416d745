package io.failoverdrill.engine.core;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.GuardPolicy;
import io.failoverdrill.schemas.plan.PlanDecoder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class GuardCoreTest {
    static final long T0 = io.failoverdrill.engine.testing.GuardTraffic.T0;

    public static DrillPlan policy() throws Exception {
        return GuardPolicy.decode(Files.readAllBytes(Path.of("..", "plans", "guard.json")));
    }

    /** Two observers, 10 requests per second each, per region; us-east at {@code eastMs(second)}. */
    public static List<InputEvent> traffic(int seconds, java.util.function.IntToDoubleFunction eastMs) {
        return io.failoverdrill.engine.testing.GuardTraffic.of(seconds, eastMs);
    }

    public static List<Decision> run(DrillPlan p, List<InputEvent> events) {
        GuardCore core = new GuardCore(p);
        List<Decision> out = new ArrayList<>();
        events.forEach(e -> out.addAll(core.accept(e)));
        return out;
    }

    @Test
    void oneRecordStampedAnHourAheadDoesNotBlindTheGuard() throws Exception {
        List<InputEvent> events = new ArrayList<>(traffic(150, s -> s < 30 || s >= 90 ? 100 : 400));
        long skewed = T0 + 3_600_000L;
        events.add(events.size() / 10, new TelemetryEvent("skewed-probe/1", "eu-west", "probe-skewed", skewed, null,
                new Telemetry.Request(90, 200, null, null, false, "/api")));
        GuardCore core = new GuardCore(policy());
        List<Decision> d = new ArrayList<>();
        events.forEach(e -> d.addAll(core.accept(e)));
        assertThat(core.counts().late()).as("the probes' telemetry stays on time").isZero();
        assertThat(d).extracting(Decision::type).contains("clamp", "release_clamp");
        assertThat(d).isEqualTo(run(policy(), traffic(150, s -> s < 30 || s >= 90 ? 100 : 400)));
    }

    @Test
    void aDegradedRegionIsClampedAfterTheDwellTightenedWhileItStaysBadAndReleasedWithHysteresis() throws Exception {
        // healthy 30 s, degraded (400 ms ≫ 250 ms SLO) 60 s, healthy again 60 s
        List<Decision> d = run(policy(), traffic(150, s -> s < 30 || s >= 90 ? 100 : 400));
        List<Command> commands = d.stream().map(x -> (Command) x).toList();
        assertThat(commands).isNotEmpty().allSatisfy(c -> assertThat(c.body()).satisfiesAnyOf(
                b -> assertThat(b).isInstanceOf(CommandBody.Clamp.class),
                b -> assertThat(b).isInstanceOf(CommandBody.ReleaseClamp.class)));
        assertThat(commands).allSatisfy(c -> assertThat(c.body().fields()).containsEntry("region", "us-east"));
        Command first = commands.get(0);
        assertThat(first.body()).isInstanceOf(CommandBody.Clamp.class);
        assertThat(first.reason().rule()).isEqualTo("guard.clamp_p95_over_slo");
        long degradedAt = T0 + 30_000;
        assertThat(first.tsMs() - degradedAt).as("fires only after the window fills and the dwell holds")
                .isBetween(10_000L, 25_000L);
        List<CommandBody.Clamp> clamps = commands.stream().filter(c -> c.body() instanceof CommandBody.Clamp)
                .map(c -> (CommandBody.Clamp) c.body()).toList();
        assertThat(clamps.size()).as("tightened again while still degraded").isGreaterThan(1);
        for (int i = 1; i < clamps.size(); i++) {
            assertThat(clamps.get(i).concurrencyLimit()).isLessThanOrEqualTo(clamps.get(i - 1).concurrencyLimit());
        }
        assertThat(clamps.get(0).concurrencyLimit()).isEqualTo(32); // AIMD backoff 0.5 from 64
        Command last = commands.get(commands.size() - 1);
        assertThat(last.body()).isEqualTo(new CommandBody.ReleaseClamp("us-east"));
        assertThat(last.tsMs()).isGreaterThan(T0 + 90_000 + 10_000);
        assertThat(commands.stream().filter(c -> c.body() instanceof CommandBody.ReleaseClamp)).hasSize(1);
    }

    @Test
    void clampsInForceCountTheRegionsClampedAndNotReleased() throws Exception {
        GuardCore guard = new GuardCore(policy());
        List<InputEvent> events = traffic(150, s -> s < 30 || s >= 90 ? 100 : 400);
        int inForceAtSecond80 = -1;
        for (InputEvent e : events) {
            guard.accept(e);
            if (e.tsMs() == T0 + 80_000) {
                inForceAtSecond80 = guard.clampsInForce();
            }
        }
        assertThat(inForceAtSecond80).as("us-east clamped while degraded").isEqualTo(1);
        assertThat(guard.clampsInForce()).as("released once healthy again").isZero();
        assertThat(new GuardCore(policy()).clampsInForce()).isZero();
    }

    @Test
    void aHealthyFleetIsNeverClampedAndAShortSpikeUnderTheDwellIsIgnored() throws Exception {
        assertThat(run(policy(), traffic(120, s -> 100))).isEmpty();
        // a 5-s window keeps a 3-s spike in its p95 for ≈ 8 s: less than the 10-s dwell, so no clamp
        DrillPlan shortWindow = GuardPolicy.decode(("{\"guard_id\":\"g\",\"regions\":[\"us-east\",\"eu-west\"],"
                + "\"detect\":{\"window_s\":5,\"p95_ms\":250},\"routing\":{\"hysteresis_s\":10}}").getBytes());
        assertThat(run(shortWindow, traffic(120, s -> s >= 40 && s < 43 ? 900 : 100))).isEmpty();
        assertThat(run(shortWindow, traffic(120, s -> s >= 40 && s < 60 ? 900 : 100))).isNotEmpty();
    }

    @Test
    void theSameEventsShuffledWithinTheLatenessAndDuplicatedGiveTheSameLog() throws Exception {
        List<InputEvent> events = traffic(150, s -> s < 30 || s >= 90 ? 100 : 400);
        List<String> expected = run(policy(), events).stream().map(Codec::encodeToString).toList();
        List<InputEvent> mixed = new ArrayList<>();
        Random r = new Random(20261129);
        for (int i = 0; i < events.size(); i += 20) { // shuffle within blocks of half a second of event time
            List<InputEvent> block = new ArrayList<>(events.subList(i, Math.min(events.size(), i + 20)));
            Collections.shuffle(block, r);
            mixed.addAll(block);
            if (r.nextInt(10) == 0) {
                mixed.add(block.get(0)); // a duplicate
            }
        }
        assertThat(run(policy(), mixed).stream().map(Codec::encodeToString).toList()).isEqualTo(expected);
    }

    @Test
    void aPolicyWithoutAnSloIsRefusedNamingTheField() {
        assertThatThrownBy(() -> GuardPolicy.decode("{\"guard_id\":\"g\",\"regions\":[\"us-east\",\"eu-west\"]}".getBytes()))
                .isInstanceOf(PlanDecoder.PlanInvalid.class)
                .satisfies(e -> assertThat(((PlanDecoder.PlanInvalid) e).violations().get(0).path()).isEqualTo("$.detect.p95_ms"));
        assertThatThrownBy(() -> GuardPolicy.decode(("{\"guard_id\":\"g\",\"regions\":[\"us-east\"],\"detect\":{\"p95_ms\":200},"
                + "\"clamp\":{\"min_limit\":0}}").replace("[\"us-east\"]", "[\"us-east\",\"eu-west\"]").getBytes()))
                .isInstanceOf(PlanDecoder.PlanInvalid.class).hasMessageContaining("min_limit");
    }
}

package io.failoverdrill.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A guard restored from a snapshot taken at any point continues exactly as the uninterrupted guard: the same
 * decisions after the cut, and the same state at the end — whatever the traffic held (degradations, ΔS risk, state
 * signals, duplicates, late events, an emergency stop and its clearing).
 */
class GuardSnapshotPropertiesTest {
    static final long T0 = 1_795_946_400_000L;

    @Property(tries = 40, seed = "20261206")
    void aRestoredGuardDecidesAsTheUninterruptedOne(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                                    @ForAll @IntRange(min = 0, max = 100) int cutPercent) throws Exception {
        DrillPlan policy = GuardCoreTest.policy();
        List<InputEvent> events = world(new Random(seed));
        int cut = events.size() * cutPercent / 100;

        GuardCore uninterrupted = new GuardCore(policy);
        List<String> expected = new ArrayList<>();
        events.forEach(e -> uninterrupted.accept(e).forEach(d -> expected.add(Codec.encodeToString(d))));

        GuardCore before = new GuardCore(policy);
        List<String> actual = new ArrayList<>();
        events.subList(0, cut).forEach(e -> before.accept(e).forEach(d -> actual.add(Codec.encodeToString(d))));
        GuardCore after = new GuardCore(policy);
        after.restore(throughBytes(before.snapshot()));
        events.subList(cut, events.size()).forEach(e -> after.accept(e).forEach(d -> actual.add(Codec.encodeToString(d))));

        assertThat(actual).isEqualTo(expected);
        assertThat(after.snapshot()).isEqualTo(uninterrupted.snapshot());
        assertThat(after.progress()).isEqualTo(uninterrupted.progress());
    }

    @Test
    void theWorldsClampAndTheSnapshotCarriesTheClampInForce() throws Exception {
        DrillPlan policy = GuardCoreTest.policy();
        GuardCore guard = new GuardCore(policy);
        List<Decision> decided = new ArrayList<>();
        world(new Random(7)).forEach(e -> decided.addAll(guard.accept(e)));
        assertThat(decided).as("the generated worlds do exercise clamps").isNotEmpty();
        assertThat(guard.snapshot().get("clamps").toString()).contains("\"clamped\"");
    }

    @Test
    void aSnapshotRestoresOnlyTheSameGuardUnderTheSamePolicy() throws Exception {
        DrillPlan policy = GuardCoreTest.policy();
        JsonNode snapshot = new GuardCore(policy).snapshot();
        assertThatThrownBy(() -> new GuardCore(policy.withDrillId("another-guard")).restore(snapshot))
                .hasMessage("snapshot of guard '" + policy.drillId() + "' cannot restore guard 'another-guard'");
        DrillPlan tuned = io.failoverdrill.schemas.plan.GuardPolicy.decode(java.nio.file.Files.readString(
                java.nio.file.Path.of("..", "plans", "guard.json")).replace("\"p95_ms\": 250", "\"p95_ms\": 400")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new GuardCore(tuned).restore(snapshot))
                .hasMessage("snapshot of guard '" + policy.drillId() + "' was taken under another policy");
    }

    private static JsonNode throughBytes(JsonNode snapshot) {
        return Codec.parse(snapshot.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Two observers and two regions for 60–180 s: us-east degrades (p95 over the SLO) for a stretch and ΔS rises
     * over the risk for another; health and backlog now and then; some events repeated, some late, and an emergency
     * stop with its clearing somewhere.
     */
    static List<InputEvent> world(Random random) {
        int seconds = 60 + random.nextInt(120);
        int slowFrom = random.nextInt(seconds);
        int slowTo = slowFrom + random.nextInt(60);
        int riskFrom = random.nextInt(seconds);
        int riskTo = riskFrom + random.nextInt(40);
        int stopAt = random.nextInt(seconds * 2);
        int clearAt = stopAt + random.nextInt(30);
        List<InputEvent> out = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            for (String obs : List.of("probe-a", "probe-b")) {
                for (String region : List.of("us-east", "eu-west")) {
                    boolean slow = region.equals("us-east") && s >= slowFrom && s < slowTo;
                    for (int i = 0; i < 5; i++) {
                        double ms = (slow ? 600 : 90) * (0.8 + 0.4 * random.nextDouble());
                        String error = random.nextInt(50) == 0 ? "http_5xx" : null;
                        out.add(new TelemetryEvent(obs + "/" + region + "/" + s + "/" + i, region, obs, T0 + s * 1000L + i * 200,
                                null, new Telemetry.Request(ms, error == null ? 200 : 503, error, null, random.nextInt(20) == 0, "/api")));
                    }
                    if (s % 5 == 0) {
                        boolean risky = region.equals("us-east") && s >= riskFrom && s < riskTo;
                        out.add(new TelemetryEvent(obs + "/" + region + "/rag/" + s, region, obs, T0 + s * 1000L + 500, null,
                                new Telemetry.RagProbe("q" + (s % 3), risky ? 0.7 : 0.2 + 0.1 * random.nextDouble(),
                                        "convergent", 0.8, null, null)));
                        out.add(new TelemetryEvent(obs + "/" + region + "/health/" + s, region, obs, T0 + s * 1000L + 600, null,
                                new Telemetry.Health(random.nextInt(10) > 0)));
                        out.add(new TelemetryEvent(obs + "/" + region + "/backlog/" + s, region, obs, T0 + s * 1000L + 700, null,
                                new Telemetry.Backlog("jobs", random.nextInt(100), random.nextInt(5000))));
                    }
                }
            }
            if (random.nextInt(10) == 0 && !out.isEmpty()) {
                out.add(out.get(out.size() - 1 - random.nextInt(Math.min(out.size(), 30)))); // a repeat
            }
            if (random.nextInt(15) == 0 && s > 20) { // late: far behind the watermark
                out.add(new TelemetryEvent("late/" + s, "us-east", "probe-a", T0 + (s - 20) * 1000L, null,
                        new Telemetry.Request(900, 200, null, null, false, "/api")));
            }
            if (s * 2 == stopAt) {
                out.add(new StopEvent("stop-" + s, T0 + s * 1000L, "all", "drill in progress", false));
            }
            if (s * 2 == clearAt) {
                out.add(new StopEvent("clear-" + s, T0 + s * 1000L, "all", null, true));
            }
        }
        return out;
    }
}

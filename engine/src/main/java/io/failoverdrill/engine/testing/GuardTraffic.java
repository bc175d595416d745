package io.failoverdrill.engine.testing;

import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

/**
 * Request telemetry for a guard over {@code us-east} and {@code eu-west}: two observers ({@code probe-a},
 * {@code probe-b}) send 10 requests per event-second each per region from {@link #T0}; eu-west answers in about 80 ms,
 * us-east in about {@code eastMs(second)} ms (±10 %, seeded jitter). Deterministic: the same arguments, the same events.
 */
public final class GuardTraffic {
    /** 2026-11-29T10:00:00Z. */
    public static final long T0 = 1_795_946_400_000L;

    private GuardTraffic() {
    }

    public static List<InputEvent> of(int seconds, IntToDoubleFunction eastMs) {
        List<InputEvent> out = new ArrayList<>();
        Random jitter = new Random(20261129);
        for (int s = 0; s < seconds; s++) {
            for (String obs : List.of("probe-a", "probe-b")) {
                for (String region : List.of("us-east", "eu-west")) {
                    for (int i = 0; i < 10; i++) {
                        double base = region.equals("us-east") ? eastMs.applyAsDouble(s) : 80;
                        out.add(new TelemetryEvent(obs + "/" + region + "/" + s + "/" + i, region, obs, T0 + s * 1000L + i * 100,
                                null, new Telemetry.Request(base * (0.9 + 0.2 * jitter.nextDouble()), 200, null, null, false, "/api")));
                    }
                }
            }
        }
        return out;
    }
}

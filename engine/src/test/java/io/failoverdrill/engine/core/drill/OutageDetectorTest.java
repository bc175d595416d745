package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.OutageDetected;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.engine.core.time.EventClock;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class OutageDetectorTest {
    final RegionSignals region = new RegionSignals("us-east", 20);
    final EventClock clock = new EventClock(0, 10_000);
    long id;
    long sec;

    /** One second of requests from each observer; {@code failing} of them fail. */
    void second(long sec, List<String> failing) {
        for (String o : List.of("a", "b", "c")) {
            for (int i = 0; i < 10; i++) {
                boolean fail = failing.contains(o);
                region.record(new TelemetryEvent("e" + id++, "us-east", o, sec * 1000 + i * 100, null,
                        new Telemetry.Request(10, fail ? 0 : 200, fail ? "connect" : null, null, false, "/")));
            }
            clock.observe(o, sec * 1000 + 999);
        }
        region.sealUntil((sec + 1) * 1000);
    }

    Optional<OutageDetected.Detection> run(OutageDetector d, int seconds, List<String> failing) {
        Optional<OutageDetected.Detection> out = Optional.empty();
        for (int s = 0; s < seconds && out.isEmpty(); s++, sec++) {
            second(sec, failing);
            out = d.evaluate((sec + 1) * 1000, region, clock, List.of());
        }
        return out;
    }

    @Test
    void aQuorumFailingForTheDwellCallsTheRegionDown() {
        OutageDetector d = new OutageDetector("us-east", DrillPlan.Detect.DEFAULT, 3);
        Optional<OutageDetected.Detection> down = run(d, 10, List.of("a", "b"));
        assertThat(down).isPresent();
        assertThat(down.get().observersDown()).containsExactly("a", "b");
    }

    @Test
    void fewerThanTheQuorumNeverDoes() {
        OutageDetector d = new OutageDetector("us-east", DrillPlan.Detect.DEFAULT, 3);
        assertThat(run(d, 20, List.of("a"))).isEmpty();
    }
}

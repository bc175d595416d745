package io.failoverdrill.bench;

import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.schemas.event.InputEvent;

import java.util.List;

/**
 * The benchmarks' telemetry: a {@link SyntheticWorld}'s, open loop (nothing reacts), two regions seen by three
 * observers, at a chosen request rate with 1 % of requests failing across the error classes, plus every state
 * signal each second, RAG probes, writes and webhooks.
 */
final class BenchTraffic {
    static final long T0 = SyntheticWorld.T0;
    static final List<String> REGIONS = List.of("us-east", "eu-west");
    static final List<String> OBSERVERS = SyntheticWorld.OBSERVERS;

    private BenchTraffic() {
    }

    /** A world sending about {@code requestsPerSecond} requests per event-time second in all. */
    static SyntheticWorld world(long seed, int requestsPerSecond) {
        int perTick = Math.max(1, requestsPerSecond / (5 * REGIONS.size() * OBSERVERS.size()));
        return SyntheticWorld.openLoop(Plans.armedBlackhole("bench"), SyntheticWorld.Setup.of(seed).withTraffic(perTick, 0.01));
    }

    /** The first {@code n} events of {@link #world}. */
    static List<InputEvent> events(long seed, int requestsPerSecond, int n) {
        return world(seed, requestsPerSecond).nextEvents(n);
    }
}

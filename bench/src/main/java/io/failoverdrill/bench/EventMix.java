package io.failoverdrill.bench;

import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded stream with every signal on: per event-second and region, requests from three observers (hot and cold,
 * 1 % errors across the classes), plus backlog, RAG probe, index metadata, health, cache, write, webhook and
 * heartbeat events. {@code perSecond} sets the request rate, so the same stream shape can be run at any traffic.
 */
final class EventMix {
    static final long T0 = 1_795_946_400_000L;
    static final String[] REGIONS = {"us-east", "eu-west"};
    static final String[] OBSERVERS = {"obs-a", "obs-b", "obs-c"};
    static final List<String> ERRORS = List.of("connect", "tls", "body_read", "tool_call", "timeout", "http_5xx", "auth");

    static InputEvent[] generate(int events, int requestsPerSecond, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        InputEvent[] out = new InputEvent[events];
        out[0] = new ControlEvent("start", T0, "bench", "start", null);
        int i = 1;
        long second = 0;
        while (i < events) {
            long base = T0 + second * 1000;
            for (int n = 0; n < requestsPerSecond && i < events; n++) {
                long ts = base + (n * 1000L) / requestsPerSecond;
                String region = REGIONS[n % 2];
                String observer = OBSERVERS[(n / 2) % 3];
                int kind = r.nextInt(100);
                Telemetry payload;
                if (kind < 88) {
                    boolean fail = r.nextInt(100) == 0;
                    payload = new Telemetry.Request(40 * Math.exp(0.3 * r.nextGaussian()), fail ? 503 : 200,
                            fail ? ERRORS.get(r.nextInt(ERRORS.size())) : null, null, r.nextInt(20) == 0, "/api");
                } else if (kind < 89) {
                    payload = new Telemetry.Backlog("writes", r.nextInt(50), r.nextInt(5000));
                } else if (kind < 91) {
                    payload = new Telemetry.RagProbe("q-" + r.nextInt(20), 0.3 + 0.1 * r.nextDouble(), "convergent",
                            0.85, List.of("s1", "s2", "s3", "s4", "s5"), "a");
                } else if (kind < 92) {
                    payload = new Telemetry.IndexMeta("hash-1", "cosine", "standard", T0 - 86_400_000L, "all-MiniLM-L6-v2", null);
                } else if (kind < 93) {
                    payload = new Telemetry.Health(true);
                } else if (kind < 94) {
                    payload = new Telemetry.Cache(0.9, true);
                } else if (kind < 97) {
                    payload = new Telemetry.Write("w-" + i, "applied", region);
                } else if (kind < 98) {
                    payload = new Telemetry.Webhook("k-" + i, region);
                } else {
                    payload = new Telemetry.Heartbeat();
                }
                out[i] = new TelemetryEvent("e-" + i, region, observer, ts, null, payload);
                i++;
            }
            second++;
        }
        return out;
    }

    private EventMix() {
    }
}

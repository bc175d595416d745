package io.failoverdrill.bench;

import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.core.GuardPack;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.GuardPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Telemetry events per second through many guards on one thread: a {@link GuardPack} (one clock, each event recorded
 * by the guards watching its region) against as many {@link GuardCore}s each fed every event (what {@code drill
 * serve} hosts today, one engine per guard). Guard {@code j} watches {@code us-east-j} and {@code eu-west-j}; two
 * observers report on every region; 100,000 events per event-time second in all, spread evenly over the guards;
 * {@code us-east-j} answers in ≈ 400 ms for 10 s of every 20 (shifted by {@code j} s), so guards clamp and release
 * throughout. The pack takes 20 s of event time per invocation; the separate cores the first 20,000 events only (a
 * fifth of a second: fewer ticks per event, which favours them).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
public class GuardPackBenchmark {
    static final int PER_SECOND = 100_000;
    static final int EVENTS = 20 * PER_SECOND;
    static final int SLICE = 20_000;

    @Param({"100", "1000"})
    int guards;

    InputEvent[] events;
    List<DrillPlan> policies;
    GuardPack pack;
    GuardCore[] cores;

    @Setup(Level.Trial)
    public void generate() {
        policies = new ArrayList<>();
        for (int j = 0; j < guards; j++) {
            policies.add(GuardPolicy.decode(("""
                    {"guard_id":"guard-%1$d","regions":["us-east-%1$d","eu-west-%1$d"],"detect":{"window_s":10,"p95_ms":250},
                     "routing":{"hysteresis_s":2},"clamp":{"initial_limit":64,"min_limit":4,"backoff_ratio":0.5},
                     "rag_probe":{"k":10,"dualhome_k":5,"delta_s_risk":0.60},"allowed_lateness_ms":2000,
                     "timeline":{"stale_observer_s":10}}
                    """).formatted(j).getBytes(StandardCharsets.UTF_8)));
        }
        events = traffic(guards, EVENTS);
    }

    /** {@code n} events: per 10 ms of event time, 1,000 events round-robin over the guards' four streams. */
    static InputEvent[] traffic(int guards, int n) {
        SplittableRandom jitter = new SplittableRandom(7);
        InputEvent[] out = new InputEvent[n];
        int perTick = PER_SECOND / 100;
        for (int i = 0; i < n; i++) {
            long ts = BenchTraffic.T0 + (i / perTick) * 10L;
            int j = (i / 4) % guards;
            int stream = i % 4;
            boolean slow = stream % 2 == 0 && ((ts - BenchTraffic.T0) / 1000 + j) % 20 < 10;
            String obs = stream < 2 ? "probe-a" : "probe-b";
            String region = (stream % 2 == 0 ? "us-east-" : "eu-west-") + j;
            double ms = (slow ? 400 : 90) * (0.9 + 0.2 * jitter.nextDouble());
            out[i] = new TelemetryEvent(obs + "/" + region + "/" + i, region, obs, ts, null,
                    new Telemetry.Request(ms, 200, null, null, false, "/api"));
        }
        return out;
    }

    @Setup(Level.Invocation)
    public void fresh() {
        pack = new GuardPack();
        policies.forEach(pack::add);
        cores = policies.stream().map(GuardCore::new).toArray(GuardCore[]::new);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void pack(Blackhole bh) {
        GuardPack p = pack;
        for (InputEvent e : events) {
            bh.consume(p.accept(e));
        }
    }

    @Benchmark
    @OperationsPerInvocation(SLICE)
    public void separateCores(Blackhole bh) {
        GuardCore[] cs = cores;
        for (int i = 0; i < SLICE; i++) {
            InputEvent e = events[i];
            for (GuardCore c : cs) {
                bh.consume(c.accept(e));
            }
        }
    }
}

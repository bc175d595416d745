package io.failoverdrill.bench;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
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
import io.failoverdrill.schemas.event.ControlEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Events per second through the pure core on one thread, every signal on. The drill is a blackhole drill armed
 * after its pre-checks, so every second of event time seals buckets, evaluates the outage rule with quorum and
 * dwell, and keeps going (it never reaches a terminal phase that would skip work).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class CoreThroughputBenchmark {
    static final int EVENTS = 1_000_000;

    /** Requests per event-second across both regions (traffic level). */
    @Param({"2000", "20000"})
    int perSecond;

    InputEvent[] events;
    DrillPlan plan;
    DrillCore core;

    @Setup(Level.Trial)
    public void generate() {
        plan = Codec.decodePlan("""
                {"drill_id":"bench","drill_type":"blackhole","regions":["us-east","eu-west"],"evacuate":"us-east",
                 "promote_survivor":"eu-west","routing":{"mode":"latency","stick_minutes":15,"hysteresis_s":30},
                 "freeze_writes_on_followers":true,
                 "checks":{"pre":["env_parity","index_hash_equal","queue_empty","cache_warm"],
                           "live":["p95_latency","error_rate","queue_backlog","ΔS_probe","λ_state","index_hash"],
                           "post":["answers_equal","contracts_equal","backlog_zero","cache_rewarmed"]},
                 "rag_probe":{"k":10,"dualhome_k":5,"delta_s_risk":0.60,"coverage_min":0.70},
                 "webhook_policy":{"emit_from":"eu-west","dedupe_key":"sha256(event_id+rev)"},
                 "return_to_home":{"rebuild_follower":true,"purge_cache":true,"gradual_weights":[10,30,60,100]},
                 "timeline":{"baseline_s":5}}
                """.getBytes(StandardCharsets.UTF_8));
        List<InputEvent> stream = new ArrayList<>();
        stream.add(new ControlEvent("start", BenchTraffic.T0, "bench", "start", null));
        stream.addAll(BenchTraffic.events(42, perSecond, EVENTS - 1));
        events = stream.toArray(InputEvent[]::new);
    }

    @Setup(Level.Invocation)
    public void freshCore() {
        core = new DrillCore(plan);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void events(Blackhole bh) {
        DrillCore c = core;
        for (InputEvent e : events) {
            bh.consume(c.accept(e));
        }
    }
}

package io.failoverdrill.bench;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.InputEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of decoding + validating one telemetry record (bytes → record), the engine's per-record work before the core,
 * three ways ({@link Codec.TelemetryPath}): the hand-written byte scanner, Jackson's streaming parser and a Jackson
 * tree, all with the same rule set.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    @Param({"BYTES", "STREAMING", "TREE"})
    Codec.TelemetryPath path;
    byte[][] records;
    int i;

    @Setup
    public void setup() {
        List<InputEvent> events = BenchTraffic.events(7, 20_000, 10_000);
        records = new byte[events.size()][];
        for (int k = 0; k < records.length; k++) {
            records[k] = Codec.encode(events.get(k));
        }
    }

    @Benchmark
    public InputEvent decode() {
        i = (i + 1) % records.length;
        return Codec.decodeInput(records[i], path);
    }
}

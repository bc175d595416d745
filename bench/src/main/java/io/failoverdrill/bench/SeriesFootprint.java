package io.failoverdrill.bench;

import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import org.openjdk.jol.info.GraphLayout;

import java.util.SplittableRandom;

/**
 * Retained memory of one region's request signals (a ring of 1-second buckets, each with hot and cold DDSketches,
 * error counts by class and per-observer counts) after a full window at different traffic levels, measured with
 * JOL. Run: {@code java -cp "bench/target/drill-bench.jar:bench/target/lib/*" io.failoverdrill.bench.SeriesFootprint}.
 */
public final class SeriesFootprint {
    public static void main(String[] args) {
        int windowS = 30;
        int capacity = windowS + 15; // window + the seconds events may run ahead of the watermark (defaults)
        long empty = GraphLayout.parseInstance(new RegionSignals("us-east", capacity)).totalSize();
        System.out.printf("ring of %d one-second buckets; empty region: %d bytes%n", capacity, empty);
        System.out.printf("%-12s %-8s %-26s %-24s%n", "requests/s", "spread", "hot-latency series (KiB)", "whole region (KiB)");
        for (int rate : new int[]{10, 1_000, 100_000}) {
            for (String spread : new String[]{"narrow", "wide"}) {
                long hotOnly = fill(capacity, rate, spread, false);
                long mixed = fill(capacity, rate, spread, true);
                System.out.printf("%-12d %-8s %-26.1f %-24.1f%n", rate, spread, (hotOnly - empty) / 1024.0, mixed / 1024.0);
            }
        }
    }

    /** Fills every bucket of a region's ring; returns the retained bytes. */
    static long fill(int capacity, int rate, String spread, boolean withColdAndErrors) {
        RegionSignals signals = new RegionSignals("us-east", capacity);
        SplittableRandom r = new SplittableRandom(1);
        long t0 = 1_795_946_400_000L;
        for (int s = 0; s < capacity; s++) {
            for (int i = 0; i < rate; i++) {
                double latency = spread.equals("narrow") ? 40 * Math.exp(0.2 * r.nextGaussian())
                        : Math.exp(r.nextDouble() * Math.log(2_000)); // 1 ms … 2 s, log-uniform
                boolean cold = withColdAndErrors && i % 10 == 0;
                String error = withColdAndErrors && i % 50 == 0 ? "http_5xx" : null;
                signals.record(new TelemetryEvent("e", "us-east", "obs-" + (i % 3), t0 + s * 1000L + i * 1000L / rate,
                        null, new Telemetry.Request(latency, error == null ? 200 : 503, error, null, cold, null)));
            }
            signals.sealUntil(t0 + (s + 1) * 1000L - 15_000L);
        }
        return GraphLayout.parseInstance(signals).totalSize();
    }

    private SeriesFootprint() {
    }
}

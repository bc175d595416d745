package io.failoverdrill.engine.core.signal;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code request} event with {@code count} N (a histogram bucket bridged from OTLP) weighs exactly as N events of
 * one request each: the same latency percentiles, requests, errors by class, failure rates per observer, user-visible
 * failures and cold counts — after the record went through the codec.
 */
class RequestCountProperties {
    static final long T0 = 1_795_946_400_000L;

    record Bucket(String observer, int second, double latencyMs, String error, boolean cold, int count) {
    }

    @Provide
    Arbitrary<List<Bucket>> buckets() {
        Arbitrary<Bucket> b = Combinators.combine(Arbitraries.of("obs-a", "obs-b"), Arbitraries.integers().between(0, 9),
                Arbitraries.doubles().between(0.5, 5000).ofScale(2),
                Arbitraries.of("none", "http_5xx", "timeout", "auth", "http_4xx", "connect"), Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 50))
                .as((o, s, l, e, c, n) -> new Bucket(o, s, l, e.equals("none") ? null : e, c, n));
        return b.list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 200, seed = "20261207")
    void aCountedEventWeighsAsThatManyEvents(@ForAll("buckets") List<Bucket> buckets) {
        RegionSignals counted = new RegionSignals("us-east", 60);
        RegionSignals single = new RegionSignals("us-east", 60);
        int id = 0;
        for (Bucket b : buckets) {
            long ts = T0 + b.second() * 1000L + 500;
            int status = b.error() == null ? 200 : b.error().equals("http_5xx") ? 503 : b.error().equals("auth") ? 401
                    : b.error().equals("http_4xx") ? 404 : 0;
            TelemetryEvent many = new TelemetryEvent("c-" + id++, "us-east", b.observer(), ts, null,
                    new Telemetry.Request(b.latencyMs(), status, b.error(), null, b.cold(), null, (long) b.count()));
            counted.record((TelemetryEvent) Codec.decodeInput(Codec.encode(many)));
            for (int i = 0; i < b.count(); i++) {
                single.record(new TelemetryEvent("s-" + id++, "us-east", b.observer(), ts, null,
                        new Telemetry.Request(b.latencyMs(), status, b.error(), null, b.cold(), null)));
            }
        }
        long until = T0 + 10_000;
        counted.sealUntil(until);
        single.sealUntil(until);
        for (boolean cold : List.of(false, true)) {
            assertThat(counted.latency(until, 10, cold)).isEqualTo(single.latency(until, 10, cold));
        }
        assertThat(counted.errors(until, 10)).isEqualTo(single.errors(until, 10));
        assertThat(counted.failureRateByObserver(until, 10)).isEqualTo(single.failureRateByObserver(until, 10));
        for (int s = 0; s < 10; s++) {
            long sec = T0 / 1000 + s;
            assertThat(counted.badAndTotal(sec)).containsExactly(single.badAndTotal(sec));
            assertThat(counted.coldAndTotal(sec)).containsExactly(single.coldAndTotal(sec));
            assertThat(counted.budgetFailures(sec)).isEqualTo(single.budgetFailures(sec));
        }
    }
}

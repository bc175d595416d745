package io.failoverdrill.kafka.testkit;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * An application instrumented with the OpenTelemetry Java SDK, as a test's real source of OTLP metrics: it records
 * {@code http.client.request.duration} (seconds, the semantic convention's bucket advice) and exports through a
 * periodic reader whose exporter serialises each export the way the Collector's Kafka exporter writes a record —
 * {@code otlp_proto} (the binary {@code ExportMetricsServiceRequest}) or {@code otlp_json} — with the SDK's own OTLP
 * marshaler, handing each record to {@code sink}.
 */
public final class OtelMetricsClient implements AutoCloseable {
    /** The semantic convention's advice for {@code http.client.request.duration}, in seconds. */
    public static final List<Double> DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0);

    /** How the SDK aggregates and how records are encoded. */
    public record Options(boolean delta, boolean exponential, boolean json, Duration interval, Clock clock) {
    }

    private final SdkMeterProvider provider;
    private final DoubleHistogram duration;

    public OtelMetricsClient(Resource resource, Options options, Consumer<byte[]> sink) {
        MetricExporter exporter = new MetricExporter() {
            @Override
            public CompletableResultCode export(Collection<MetricData> metrics) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    if (options.json()) {
                        MetricsRequestMarshaler.create(metrics).writeJsonTo(out);
                    } else {
                        MetricsRequestMarshaler.create(metrics).writeBinaryTo(out);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                sink.accept(out.toByteArray());
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public AggregationTemporality getAggregationTemporality(InstrumentType type) {
                return options.delta() ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
            }

            @Override
            public Aggregation getDefaultAggregation(InstrumentType type) {
                return options.exponential() && type == InstrumentType.HISTOGRAM
                        ? Aggregation.base2ExponentialBucketHistogram() : Aggregation.defaultAggregation();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        this.provider = SdkMeterProvider.builder().setResource(resource)
                .setClock(options.clock() == null ? Clock.getDefault() : options.clock())
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(options.interval()).build())
                .build();
        this.duration = provider.get("io.failoverdrill.test").histogramBuilder("http.client.request.duration").setUnit("s")
                .setDescription("Duration of HTTP client requests.").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    }

    /** Records one request that took {@code seconds}, with its attributes. */
    public void record(double seconds, Attributes attributes) {
        duration.record(seconds, attributes);
    }

    /** Collects and exports now. */
    public void flush() {
        provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The SDK's meter provider, for other instruments. */
    public SdkMeterProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}

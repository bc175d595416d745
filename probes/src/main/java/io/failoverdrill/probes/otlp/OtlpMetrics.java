package io.failoverdrill.probes.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.failoverdrill.probes.ErrorClassifier;
import io.failoverdrill.schemas.JsonReader;
import io.failoverdrill.schemas.Sha256;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns OTLP metrics, as the OpenTelemetry Collector's Kafka exporter writes them ({@code otlp_proto}: an
 * {@code ExportMetricsServiceRequest} per record; {@code otlp_json}: the same in OTLP/JSON — told apart by the first
 * byte), into {@code request} telemetry. Only the mapped metric is read (default {@code http.client.request.duration});
 * each histogram bucket that holds requests becomes one event standing for them ({@code count}), its latency the
 * bucket's middle in milliseconds (the arithmetic middle of an explicit bucket, narrowed by the point's min and max
 * when it has them and is a delta; the geometric middle of an exponential bucket), its status from
 * {@code http.response.status_code} and its error class from that status — or, without one, from {@code error.type}
 * ({@code timeout}, {@code tls}, else {@code connect}). Event time is the point's {@code time_unix_nano}; the event id
 * is a hash of the point's identity and bucket, so a record read twice gives the same events.
 *
 * <p>Delta points are used as they are. A cumulative point is turned into the delta since the previous point of the
 * same stream (resource, scope, metric, attributes); the first point of a stream — and the first after a restart of
 * this reader — only sets the baseline, and a point whose start time moved or whose counts fell starts a new one.
 * Points that cannot be read are returned as {@link Rejected}, with their path and the rule: a bad record never loses
 * the good points beside it.
 */
public final class OtlpMetrics {
    /** At most this many cumulative streams are remembered (the least recently seen is forgotten first). */
    static final int MAX_STREAMS = 100_000;
    private final OtlpMapping mapping;
    private final Map<String, long[]> lastCumulative = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_STREAMS;
        }
    };

    /** A decoder for the metric {@code mapping} names; it keeps the last cumulative point of each stream. */
    public OtlpMetrics(OtlpMapping mapping) {
        this.mapping = mapping;
    }

    /** A point (or record) that was not turned into telemetry: where ({@code path}, OTLP/JSON field names) and why. */
    public record Rejected(String path, String reason) {
    }

    /** What one record gave. */
    public record Decoded(List<TelemetryEvent> events, List<Rejected> rejected) {
    }

    /** Decodes one record's value. */
    public Decoded decode(byte[] value) {
        MetricsData data;
        try {
            data = parse(value);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return new Decoded(List.of(), List.of(new Rejected("$", "is not OTLP metrics in otlp_proto or otlp_json ("
                    + e.getClass().getSimpleName() + ")")));
        }
        List<TelemetryEvent> events = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (int r = 0; r < data.getResourceMetricsCount(); r++) {
            ResourceMetrics rm = data.getResourceMetrics(r);
            Map<String, String> resource = attributes(rm.getResource().getAttributesList());
            for (int s = 0; s < rm.getScopeMetricsCount(); s++) {
                ScopeMetrics sm = rm.getScopeMetrics(s);
                for (int m = 0; m < sm.getMetricsCount(); m++) {
                    Metric metric = sm.getMetrics(m);
                    if (metric.getName().equals(mapping.metric())) {
                        String path = "$.resourceMetrics[" + r + "].scopeMetrics[" + s + "].metrics[" + m + "]";
                        String stream = resource + "|" + sm.getScope().getName() + "|" + metric.getName();
                        new MetricReader(metric, path, stream, resource, events, rejected).read();
                    }
                }
            }
        }
        return new Decoded(events, rejected);
    }

    static MetricsData parse(byte[] value) throws InvalidProtocolBufferException {
        int i = 0;
        while (i < value.length && Character.isWhitespace(value[i])) {
            i++;
        }
        if (i < value.length && value[i] == '{') {
            MetricsData.Builder b = MetricsData.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(new String(value, StandardCharsets.UTF_8), b);
            return b.build();
        }
        return MetricsData.parseFrom(value);
    }

    /** One metric's points. */
    private final class MetricReader {
        private final Metric metric;
        private final String path;
        private final String stream;
        private final Map<String, String> resource;
        private final List<TelemetryEvent> events;
        private final List<Rejected> rejected;
        private double toMs;

        MetricReader(Metric metric, String path, String stream, Map<String, String> resource, List<TelemetryEvent> events,
                     List<Rejected> rejected) {
            this.metric = metric;
            this.path = path;
            this.stream = stream;
            this.resource = resource;
            this.events = events;
            this.rejected = rejected;
        }

        void read() {
            switch (metric.getUnit()) {
                case "s" -> toMs = 1000;
                case "ms" -> toMs = 1;
                default -> {
                    rejected.add(new Rejected(path + ".unit", "must be 's' or 'ms' for a duration, got '" + metric.getUnit() + "'"));
                    return;
                }
            }
            if (metric.hasHistogram()) {
                boolean delta = delta(metric.getHistogram().getAggregationTemporality(), path + ".histogram");
                for (int p = 0; p < metric.getHistogram().getDataPointsCount(); p++) {
                    explicit(metric.getHistogram().getDataPoints(p), delta, path + ".histogram.dataPoints[" + p + "]");
                }
            } else if (metric.hasExponentialHistogram()) {
                boolean delta = delta(metric.getExponentialHistogram().getAggregationTemporality(), path + ".exponentialHistogram");
                for (int p = 0; p < metric.getExponentialHistogram().getDataPointsCount(); p++) {
                    exponential(metric.getExponentialHistogram().getDataPoints(p), delta,
                            path + ".exponentialHistogram.dataPoints[" + p + "]");
                }
            } else {
                rejected.add(new Rejected(path, "must be a histogram or an exponential histogram, got " + metric.getDataCase()));
            }
        }

        private boolean delta(AggregationTemporality t, String at) {
            if (t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
                return true;
            }
            if (t != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
                rejected.add(new Rejected(at + ".aggregationTemporality", "must be DELTA or CUMULATIVE, got " + t));
            }
            return false;
        }

        private void explicit(HistogramDataPoint point, boolean delta, String at) {
            List<Double> bounds = point.getExplicitBoundsList();
            if (point.getBucketCountsCount() != bounds.size() + 1) {
                rejected.add(new Rejected(at + ".bucketCounts", "must have one count more than explicitBounds ("
                        + (bounds.size() + 1) + "), got " + point.getBucketCountsCount()));
                return;
            }
            for (int i = 1; i < bounds.size(); i++) {
                if (!(bounds.get(i) > bounds.get(i - 1))) {
                    rejected.add(new Rejected(at + ".explicitBounds[" + i + "]", "must be greater than the bound before it"));
                    return;
                }
            }
            long[] counts = point.getBucketCountsList().stream().mapToLong(Long::longValue).toArray();
            double[] middles = new double[counts.length];
            boolean narrow = delta && point.hasMin() && point.hasMax();
            for (int i = 0; i < counts.length; i++) {
                double lower = i == 0 ? 0 : bounds.get(i - 1);
                double upper = i == bounds.size() ? (narrow ? point.getMax() : lower) : bounds.get(i);
                if (narrow) {
                    lower = Math.max(lower, Math.min(point.getMin(), upper));
                    upper = Math.min(upper, Math.max(point.getMax(), lower));
                }
                middles[i] = Math.max(0, (lower + upper) / 2);
            }
            emit(at, attributes(point.getAttributesList()), point.getStartTimeUnixNano(), point.getTimeUnixNano(), delta,
                    counts, middles, "e");
        }

        private void exponential(ExponentialHistogramDataPoint point, boolean delta, String at) {
            if (point.getNegative().getBucketCountsList().stream().anyMatch(c -> c > 0)) {
                rejected.add(new Rejected(at + ".negative", "a duration cannot be negative"));
                return;
            }
            double base = Math.pow(2, Math.pow(2, -point.getScale()));
            int n = point.getPositive().getBucketCountsCount();
            long[] counts = new long[n + 1];
            double[] middles = new double[n + 1];
            counts[0] = point.getZeroCount();
            middles[0] = 0;
            for (int k = 0; k < n; k++) {
                counts[k + 1] = point.getPositive().getBucketCounts(k);
                middles[k + 1] = Math.pow(base, point.getPositive().getOffset() + k + 0.5);
            }
            emit(at, attributes(point.getAttributesList()), point.getStartTimeUnixNano(), point.getTimeUnixNano(), delta,
                    counts, middles, "x" + point.getScale() + ":" + point.getPositive().getOffset());
        }

        /** One event per bucket that holds requests in this interval. */
        private void emit(String at, Map<String, String> attrs, long startNanos, long timeNanos, boolean delta, long[] counts,
                          double[] middles, String layout) {
            String region = mapping.region().of(attrs, resource);
            if (region == null) {
                rejected.add(new Rejected(at, "has no " + mapping.region().describe() + " (the region)"));
                return;
            }
            if (!JsonReader.isRegion(region)) {
                rejected.add(new Rejected(at, mapping.region().describe() + " is '" + region
                        + "', not a region id (^[a-z0-9][a-z0-9-]{0,62}$): map it with \"values\""));
                return;
            }
            String observer = mapping.observer().of(attrs, resource);
            if (observer == null || observer.isEmpty() || observer.length() > 256) {
                rejected.add(new Rejected(at, "has no " + mapping.observer().describe() + " (the observer) of 1–256 characters"));
                return;
            }
            if (timeNanos <= 0) {
                rejected.add(new Rejected(at + ".timeUnixNano", "must be set"));
                return;
            }
            int status;
            String error;
            String code = attrs.get("http.response.status_code");
            try {
                status = code == null ? 0 : Integer.parseInt(code);
            } catch (NumberFormatException e) {
                status = -1;
            }
            if (status < 0 || status > Telemetry.Request.MAX_STATUS) {
                rejected.add(new Rejected(at, "attribute 'http.response.status_code' must be an HTTP status, got '" + code + "'"));
                return;
            }
            error = status > 0 ? ErrorClassifier.ofStatus(status) : transportError(attrs.get("error.type"));
            String identity = stream + "|" + new TreeMap<>(attrs) + "|" + layout;
            long[] interval = delta ? counts : sinceLast(identity, startNanos, counts);
            if (interval == null) {
                return;
            }
            long tsMs = Math.floorDiv(timeNanos, 1_000_000L);
            for (int i = 0; i < interval.length; i++) {
                if (interval[i] <= 0) {
                    continue;
                }
                String id = "otlp-" + Sha256.hex(identity + "|" + timeNanos + "|" + i).substring(0, 40);
                double latency = Math.round(middles[i] * toMs * 1000) / 1000.0;
                events.add(new TelemetryEvent(id, region, observer, tsMs, null, new Telemetry.Request(latency, status, error,
                        null, null, null, Math.min(interval[i], Telemetry.Request.MAX_COUNT))));
            }
        }

        /** The counts since the stream's previous point; null for a first point (a baseline only). */
        private long[] sinceLast(String identity, long startNanos, long[] counts) {
            long[] now = new long[counts.length + 1];
            now[0] = startNanos;
            System.arraycopy(counts, 0, now, 1, counts.length);
            long[] before;
            synchronized (lastCumulative) {
                before = lastCumulative.put(identity, now);
            }
            if (before == null || before[0] != startNanos || before.length != now.length) {
                return null;
            }
            long[] delta = new long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                delta[i] = counts[i] - before[i + 1];
                if (delta[i] < 0) {
                    return null; // the counts fell: a reset without a new start time; a new baseline
                }
            }
            return delta;
        }
    }

    /** The error class of a request that got no HTTP status, from its {@code error.type}. */
    static String transportError(String errorType) {
        if (errorType == null) {
            return null;
        }
        String t = errorType.toLowerCase(java.util.Locale.ROOT);
        if (t.contains("timeout") || t.contains("timedout")) {
            return "timeout";
        }
        if (t.contains("ssl") || t.contains("tls") || t.contains("certificate") || t.contains("handshake")) {
            return "tls";
        }
        return "connect";
    }

    static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> m = new TreeMap<>();
        for (KeyValue kv : kvs) {
            AnyValue v = kv.getValue();
            String s = switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> Long.toString(v.getIntValue());
                case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                default -> null;
            };
            if (s != null) {
                m.put(kv.getKey(), s);
            }
        }
        return m;
    }
}

package io.failoverdrill.probes;

import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bridge from the Prometheus blackbox exporter: every period it asks the exporter to probe a region's target
 * ({@code GET <exporter>/probe?module=<module>&target=<url>}) and publishes what the exporter measured as a
 * {@code request} event — latency {@code probe_duration_seconds}, status {@code probe_http_status_code}, the phases
 * {@code probe_http_duration_seconds{phase="connect"|"tls"|"processing"|"transfer"}} as connect/tls/ttfb/body, and an
 * error class from the status, or, when nothing answered ({@code probe_success 0}, status 0), from the phase the
 * probe died in: {@code connect} (no connection), {@code tls} (handshake), {@code timeout} (answer too slow). An
 * exporter that cannot be reached publishes nothing for that period and says so once per outage: it is our
 * observer failing, not the region.
 */
public final class BlackboxProbe implements AutoCloseable {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)");
    private static final Pattern PHASE = Pattern.compile("phase=\"([a-z_]+)\"");

    private final URI exporter;
    private final String module;
    private final String region;
    private final String target;
    private final String observer;
    private final TelemetrySink sink;
    private final HttpClient http;
    private final Duration timeout;
    private final ProbeClock clock = new ProbeClock();
    private final AtomicLong seq = new AtomicLong();
    private final ScheduledExecutorService scheduler;
    private final java.util.function.Consumer<String> say;
    private volatile boolean exporterDown;

    /** @param timeout how long the exporter may take to answer (its own probe timeout comes from its module) */
    public BlackboxProbe(URI exporter, String module, String region, String target, String observer, Duration timeout,
                         TelemetrySink sink, java.util.function.Consumer<String> say) {
        this.exporter = exporter;
        this.module = module;
        this.region = region;
        this.target = target;
        this.observer = observer;
        this.timeout = timeout;
        this.sink = sink;
        this.say = say;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "blackbox-" + region);
            t.setDaemon(true);
            return t;
        });
    }

    public void start(Duration period) {
        scheduler.scheduleAtFixedRate(this::probeOnce, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One probe through the exporter; returns the event published, or null when the exporter did not answer. */
    TelemetryEvent probeOnce() {
        long ts = clock.nowMs();
        URI uri = exporter.resolve("/probe?module=" + URLEncoder.encode(module, StandardCharsets.UTF_8) + "&target="
                + URLEncoder.encode(target, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("the exporter answered " + r.statusCode() + ": " + r.body().strip());
            }
            if (exporterDown) {
                exporterDown = false;
                say.accept("blackbox " + region + ": exporter " + exporter + " answers again");
            }
            TelemetryEvent e = new TelemetryEvent(observer + "-bb-" + region + "-" + ts + "-" + seq.incrementAndGet(), region,
                    observer, ts, null, request(parse(r.body()), target));
            sink.publish(e);
            return e;
        } catch (IOException e) {
            if (!exporterDown) {
                exporterDown = true;
                say.accept("blackbox " + region + ": exporter " + exporter + " not answering (" + e.getMessage()
                        + "); nothing is published until it does");
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The samples of an exporter answer: {@code name} or {@code name{phase}} → value. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher s = SAMPLE.matcher(line.trim());
            if (!s.find()) {
                continue;
            }
            String name = s.group(1);
            if (s.group(3) != null) {
                Matcher p = PHASE.matcher(s.group(3));
                if (p.find()) {
                    name = name + "{" + p.group(1) + "}";
                }
            }
            try {
                m.put(name, Double.parseDouble(s.group(4)));
            } catch (NumberFormatException ignored) {
                // NaN / +Inf spelled otherwise: not a value we use
            }
        }
        return m;
    }

    /** The request event of one exporter answer. */
    static Telemetry.Request request(Map<String, Double> s, String target) {
        double latencyMs = ms(s.get("probe_duration_seconds"));
        int status = s.getOrDefault("probe_http_status_code", 0.0).intValue();
        boolean success = s.getOrDefault("probe_success", 0.0) >= 1;
        Double connect = msOrNull(s.get("probe_http_duration_seconds{connect}"));
        Double tls = msOrNull(s.get("probe_http_duration_seconds{tls}"));
        Double ttfb = msOrNull(s.get("probe_http_duration_seconds{processing}"));
        Double body = msOrNull(s.get("probe_http_duration_seconds{transfer}"));
        String error;
        if (status > 0) {
            error = ErrorClassifier.ofStatus(status);
            if (error == null && !success) {
                error = "http_4xx"; // an answer the module refused (unexpected status, failed regex): a wrong answer
            }
        } else if (success) {
            error = null;
        } else if (connect == null || connect == 0) {
            error = "connect";
        } else if (target.startsWith("https") && (tls == null || tls == 0)) {
            error = "tls";
        } else {
            error = "timeout";
        }
        return new Telemetry.Request(latencyMs, status, error, new Telemetry.Phases(connect, tls, ttfb, body), null, target);
    }

    private static double ms(Double seconds) {
        return seconds == null ? 0 : Math.round(seconds * 1_000_000) / 1000.0;
    }

    private static Double msOrNull(Double seconds) {
        return seconds == null ? null : ms(seconds);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

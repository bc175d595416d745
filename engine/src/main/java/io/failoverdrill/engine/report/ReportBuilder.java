package io.failoverdrill.engine.report;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.failoverdrill.engine.core.signal.Numbers;
import io.failoverdrill.engine.core.signal.Sketches;
import io.failoverdrill.schemas.Timestamps;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.event.AckEvent;
import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Collects what a drill's evidence report shows: fed the input events the engine consumed (in any order; a repeated
 * {@code event_id} counts once) and then the decision log, it builds the {@code report.json} tree. Signal series are
 * per region and per whole event-time second: latency p75/p95/p99 (DDSketch, 2 % relative accuracy) of requests,
 * request outcomes by error class, backlog length and oldest age (last value of the second), ΔS values split at the
 * first {@code evacuate} phase (pre/post), λ counts, and each region's latest index metadata. The result is a pure
 * function of (plan, events, decisions): the same drill replayed gives the same bytes.
 */
public final class ReportBuilder {
    private static final double DELTA_S_BIN = 0.05;
    private static final int DELTA_S_BINS = 24; // 0 … 1.2, the last bin also holds everything above

    private final DrillPlan plan;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, TreeMap<Long, Second>> requests = new TreeMap<>();
    private final Map<String, TreeMap<Long, double[]>> backlog = new TreeMap<>();
    private final List<TelemetryEvent> rag = new ArrayList<>();
    private final Map<String, TelemetryEvent> indexMeta = new TreeMap<>();
    /** Per region, per whole second: the lowest cache hit ratio any observer reported. */
    private final Map<String, TreeMap<Long, Double>> cache = new TreeMap<>();
    private final List<Map<String, Object>> controls = new ArrayList<>();
    private final Map<String, AckEvent> acks = new TreeMap<>();
    private long events;

    public ReportBuilder(DrillPlan plan) {
        this.plan = plan;
    }

    /** One second of one region's requests. */
    private static final class Second {
        final DDSketch latency = Sketches.newLatencySketch();
        final Map<String, Long> outcomes = new TreeMap<>();
        long total;
    }

    /** Adds one consumed input event; duplicates (same {@code event_id}) are ignored. */
    public void accept(InputEvent event) {
        if (!seen.add(event.eventId())) {
            return;
        }
        events++;
        if (event instanceof TelemetryEvent t) {
            telemetry(t);
        } else if (event instanceof ControlEvent c) {
            Map<String, Object> m = new TreeMap<>();
            m.put("ts", Timestamps.format(c.tsMs()));
            m.put("action", c.action());
            if (c.fault() != null) {
                m.put("fault", c.fault().kind() + " @ " + c.fault().region());
            }
            m.put("event_id", c.eventId());
            controls.add(m);
        } else if (event instanceof AckEvent a) {
            acks.merge(a.commandId(), a, (old, now) -> now.tsMs() < old.tsMs()
                    || (now.tsMs() == old.tsMs() && now.eventId().compareTo(old.eventId()) < 0) ? now : old);
        }
    }

    private void telemetry(TelemetryEvent t) {
        long second = Math.floorDiv(t.tsMs(), 1000) * 1000;
        Telemetry payload = t.payload();
        if (payload instanceof Telemetry.Request r) {
            Second s = requests.computeIfAbsent(t.region(), k -> new TreeMap<>()).computeIfAbsent(second, k -> new Second());
            s.total += r.requests();
            s.outcomes.merge(r.error() == null ? "ok" : r.error(), r.requests(), Long::sum);
            if (r.error() == null) {
                s.latency.accept(Math.max(r.latencyMs(), 0.001), r.requests());
            }
        } else if (payload instanceof Telemetry.Backlog b) {
            backlog.computeIfAbsent(t.region() + " / " + b.queue(), k -> new TreeMap<>())
                    .put(second, new double[]{b.length(), b.oldestAgeMs()});
        } else if (payload instanceof Telemetry.RagProbe) {
            rag.add(t);
        } else if (payload instanceof Telemetry.Cache c) {
            cache.computeIfAbsent(t.region(), k -> new TreeMap<>()).merge(second, c.hitRatio(), Math::min);
        } else if (payload instanceof Telemetry.IndexMeta) {
            indexMeta.merge(t.region(), t, (old, now) -> now.tsMs() >= old.tsMs() ? now : old);
        }
    }

    /** The report tree for {@code decisions} (the drill's decision log in {@code seq} order). */
    public Map<String, Object> build(List<Decision> decisions) {
        Map<String, Object> report = new TreeMap<>();
        report.put("report_version", 1);
        report.put("plan", planSection());
        List<Map<String, Object>> phases = new ArrayList<>();
        List<Map<String, Object>> commands = new ArrayList<>();
        List<Map<String, Object>> verdicts = new ArrayList<>();
        long evacuateAt = Long.MAX_VALUE;
        String finalPhase = "idle";
        for (Decision d : decisions) {
            if (d instanceof PhaseChange p) {
                phases.add(p.toJson());
                finalPhase = p.to().wire();
                if (p.to().wire().equals("evacuate")) {
                    evacuateAt = Math.min(evacuateAt, p.tsMs());
                }
            } else if (d instanceof Command c) {
                Map<String, Object> m = new TreeMap<>(c.toJson());
                AckEvent ack = acks.get(c.commandId());
                m.put("ack", ack == null ? null : Map.of("status", ack.status(), "observer", ack.observer(),
                        "ts", Timestamps.format(ack.tsMs())));
                commands.add(m);
            } else if (d instanceof Verdict v) {
                verdicts.add(v.toJson());
            }
        }
        long failed = decisions.stream().filter(d -> d instanceof Verdict v && v.failed()).count();
        Map<String, Object> summary = new TreeMap<>();
        summary.put("final_phase", finalPhase);
        summary.put("verdicts", verdicts.size());
        summary.put("failed_verdicts", failed);
        summary.put("passed", failed == 0 && finalPhase.equals("done"));
        summary.put("commands", commands.size());
        summary.put("events", events);
        report.put("summary", summary);
        report.put("phases", phases);
        report.put("commands", commands);
        report.put("verdicts", verdicts);
        List<Map<String, Object>> sortedControls = new ArrayList<>(controls);
        sortedControls.sort((x, y) -> (x.get("ts") + " " + x.get("event_id")).compareTo(y.get("ts") + " " + y.get("event_id")));
        report.put("controls", sortedControls);
        report.put("series", series(evacuateAt));
        report.put("index_parity", indexParity());
        report.put("cache_around_purges", cacheAroundPurges(decisions));
        return report;
    }

    private Map<String, Object> planSection() {
        Map<String, Object> m = new TreeMap<>();
        m.put("drill_id", plan.drillId());
        m.put("drill_type", plan.drillType().wire());
        m.put("regions", plan.regions());
        m.put("evacuate", plan.evacuate());
        m.put("promote_survivor", plan.promoteSurvivor());
        m.put("hysteresis_s", plan.routing().hysteresisS());
        m.put("stick_minutes", plan.routing().stickMinutes());
        m.put("allowed_lateness_ms", plan.allowedLatenessMs());
        var a = plan.acceptance();
        m.put("acceptance", Map.of("cutover_s", a.cutoverS(), "max_5xx_burst_s", a.max5xxBurstS(),
                "p95_ratio_max", a.p95RatioMax(), "backlog_drain_s", a.backlogDrainS(),
                "delta_s_max", a.deltaSMax(), "coverage_min", a.coverageMin()));
        var t = plan.timeline();
        m.put("timeline", Map.of("baseline_s", t.baselineS(), "observe_s", t.observeS(),
                "stale_observer_s", t.staleObserverS(), "rebuild_timeout_s", t.rebuildTimeoutS()));
        var d = plan.detect();
        Map<String, Object> detect = new TreeMap<>();
        detect.put("window_s", d.windowS());
        detect.put("p95_ms", d.p95Ms());
        detect.put("error_rate", d.errorRate());
        detect.put("quorum", d.quorum());
        m.put("detect", detect);
        m.put("checks", Map.of("pre", plan.checks().pre(), "live", plan.checks().live(), "post", plan.checks().post()));
        m.put("not_applicable", plan.acceptance().notApplicable());
        m.put("routing_mode", plan.routing().mode());
        m.put("slo", Map.of("objective", plan.slo().objective(), "window_s", plan.slo().windowS(),
                "max_budget_share", plan.slo().maxBudgetShare()));
        m.put("dry_run", plan.dryRun());
        if (plan.demoNote() != null) {
            m.put("demo_note", plan.demoNote());
        }
        return m;
    }

    private Map<String, Object> series(long evacuateAt) {
        Map<String, Object> s = new TreeMap<>();
        Map<String, Object> latency = new TreeMap<>();
        Map<String, Object> outcomes = new TreeMap<>();
        requests.forEach((region, seconds) -> {
            List<List<Object>> points = new ArrayList<>();
            List<Map<String, Object>> counts = new ArrayList<>();
            seconds.forEach((t, sec) -> {
                if (!sec.latency.isEmpty()) {
                    points.add(List.of(t, Numbers.round(sec.latency.getValueAtQuantile(0.75), 1),
                            Numbers.round(sec.latency.getValueAtQuantile(0.95), 1), Numbers.round(sec.latency.getValueAtQuantile(0.99), 1)));
                }
                Map<String, Object> c = new TreeMap<>(sec.outcomes);
                c.put("t", t);
                c.put("total", sec.total);
                counts.add(c);
            });
            latency.put(region, points);
            outcomes.put(region, counts);
        });
        s.put("latency_ms", latency);
        s.put("latency_columns", List.of("t", "p75", "p95", "p99"));
        s.put("requests", outcomes);
        Map<String, Object> queues = new TreeMap<>();
        backlog.forEach((queue, seconds) -> {
            List<List<Object>> points = new ArrayList<>();
            seconds.forEach((t, v) -> points.add(List.of(t, (long) v[0], Numbers.round(v[1], 0))));
            queues.put(queue, points);
        });
        s.put("backlog", queues);
        s.put("backlog_columns", List.of("t", "length", "oldest_age_ms"));
        s.put("rag", ragSection(evacuateAt));
        return s;
    }

    private Map<String, Object> ragSection(long evacuateAt) {
        long[] pre = new long[DELTA_S_BINS];
        long[] post = new long[DELTA_S_BINS];
        Map<String, Map<String, Long>> lambda = new TreeMap<>();
        List<List<Object>> points = new ArrayList<>();
        for (TelemetryEvent t : rag) {
            Telemetry.RagProbe p = (Telemetry.RagProbe) t.payload();
            boolean after = t.tsMs() >= evacuateAt;
            int bin = (int) Math.min(DELTA_S_BINS - 1, Math.floor(p.deltaS() / DELTA_S_BIN));
            (after ? post : pre)[bin]++;
            lambda.computeIfAbsent(t.region() + (after ? " post" : " pre"), k -> new TreeMap<>())
                    .merge(p.lambda(), 1L, Long::sum);
            points.add(List.of(t.tsMs(), t.region(), p.questionId(), Numbers.round(p.deltaS(), 4), p.lambda(), Numbers.round(p.coverage(), 4)));
        }
        points.sort((a, b) -> {
            int c = Long.compare((Long) a.get(0), (Long) b.get(0));
            return c != 0 ? c : (a.get(1) + "/" + a.get(2)).compareTo(b.get(1) + "/" + b.get(2));
        });
        Map<String, Object> m = new TreeMap<>();
        m.put("delta_s_bin_width", DELTA_S_BIN);
        m.put("delta_s_hist_pre", toList(pre));
        m.put("delta_s_hist_post", toList(post));
        m.put("lambda", lambda);
        m.put("probes", points);
        m.put("probe_columns", List.of("t", "region", "question_id", "delta_s", "lambda", "coverage"));
        return m;
    }

    /**
     * Seed evidence "cache hit ratio changes around purge events": for each {@code purge_cache} command, the region's
     * hit ratio in the last second before it, the lowest within a minute after it, and the last one reported.
     */
    private List<Map<String, Object>> cacheAroundPurges(List<Decision> decisions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Decision d : decisions) {
            if (d instanceof Command c && c.body() instanceof io.failoverdrill.schemas.decision.CommandBody.PurgeCache p) {
                TreeMap<Long, Double> series = cache.getOrDefault(p.region(), new TreeMap<>());
                Map.Entry<Long, Double> before = series.lowerEntry(c.tsMs());
                java.util.SortedMap<Long, Double> after = series.subMap(c.tsMs(), c.tsMs() + 60_000);
                Map<String, Object> row = new TreeMap<>();
                row.put("region", p.region());
                row.put("purged_at", Timestamps.format(c.tsMs()));
                row.put("hit_ratio_before", before == null ? null : before.getValue());
                row.put("lowest_after", after.isEmpty() ? null : after.values().stream().min(Double::compare).orElseThrow());
                row.put("last", series.isEmpty() ? null : series.lastEntry().getValue());
                out.add(row);
            }
        }
        return out;
    }

    private Map<String, Object> indexParity() {
        Map<String, Object> rows = new LinkedHashMap<>();
        Set<String> hashes = new HashSet<>();
        indexMeta.forEach((region, t) -> {
            Telemetry.IndexMeta m = (Telemetry.IndexMeta) t.payload();
            hashes.add(m.indexHash());
            Map<String, Object> row = new TreeMap<>(m.fields());
            row.put("seen_at", Timestamps.format(t.tsMs()));
            rows.put(region, row);
        });
        Map<String, Object> m = new TreeMap<>();
        m.put("regions", rows);
        m.put("parity", !rows.isEmpty() && hashes.size() == 1);
        return m;
    }

    private static List<Long> toList(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long v : a) {
            l.add(v);
        }
        return l;
    }
}

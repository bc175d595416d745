package io.failoverdrill.engine.report;

import io.failoverdrill.schemas.CanonicalJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Renders a report tree (from {@link ReportBuilder}) as one self-contained HTML page: the tables (acceptance with
 * evidence, index metadata parity, phases, commands with their acks) are written here; the charts are drawn in the
 * browser as inline SVG by an embedded script from the embedded JSON. No external resource is referenced, so the
 * file opens offline. The output is a pure function of the tree.
 */
public final class ReportHtml {
    private static final String SCRIPT = resource("/report/charts.js");

    private ReportHtml() {
    }

    @SuppressWarnings("unchecked")
    public static String render(Map<String, Object> report) {
        Map<String, Object> plan = (Map<String, Object>) report.get("plan");
        Map<String, Object> summary = (Map<String, Object>) report.get("summary");
        StringBuilder h = new StringBuilder(64 * 1024);
        String title = "drill " + plan.get("drill_id") + " (" + plan.get("drill_type") + ")";
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>").append(STYLE).append("</style></head>\n<body>\n");
        boolean passed = Boolean.TRUE.equals(summary.get("passed"));
        h.append("<h1>").append(esc(title)).append(" <span class=\"").append(passed ? "pass" : "fail").append("\">")
                .append(passed ? "PASSED" : "FAILED").append("</span></h1>\n");
        h.append("<p class=\"sub\">final phase <b>").append(esc(summary.get("final_phase"))).append("</b> · ")
                .append(summary.get("verdicts")).append(" verdicts, ").append(summary.get("failed_verdicts"))
                .append(" failed · ").append(summary.get("commands")).append(" commands · ")
                .append(summary.get("events")).append(" input events · evacuate <b>").append(esc(plan.get("evacuate")))
                .append("</b> → survivor <b>").append(esc(plan.get("promote_survivor"))).append("</b></p>\n");
        if (Boolean.TRUE.equals(plan.get("dry_run"))) {
            h.append("<p class=\"sub\"><b>Dry run:</b> decided and judged as usual; its commands went to the dry-run "
                    + "topic, which no actuator reads — nothing moved.</p>\n");
        }
        if (plan.get("demo_note") != null) {
            h.append("<p class=\"sub\"><b>Demo plan:</b> ").append(esc(plan.get("demo_note"))).append("</p>\n");
        }
        h.append("<h2>Numbers used</h2>\n<p class=\"sub\">timeline ").append(esc(CanonicalJson.string(plan.get("timeline"))))
                .append(" · hysteresis ").append(plan.get("hysteresis_s")).append(" s · allowed lateness ")
                .append(plan.get("allowed_lateness_ms")).append(" ms · acceptance ")
                .append(esc(CanonicalJson.string(plan.get("acceptance")))).append(" · detect ")
                .append(esc(CanonicalJson.string(plan.get("detect")))).append("</p>\n");

        h.append("<h2>Acceptance and checks</h2>\n<table><tr><th>#</th><th>event time</th><th>check</th><th>status</th>"
                + "<th>value</th><th>limit</th><th>evidence</th></tr>\n");
        for (Map<String, Object> v : (List<Map<String, Object>>) report.get("verdicts")) {
            String status = String.valueOf(v.get("status"));
            Map<String, Object> evidence = (Map<String, Object>) v.get("evidence");
            boolean noData = String.valueOf(evidence.get("reason")).startsWith("no data: ");
            String css = status.equals("pass") ? "ok" : status.equals("not_applicable") ? "na" : "bad";
            String shown = status.equals("pass") ? "pass" : status.equals("not_applicable") ? "not applicable"
                    : noData ? "FAIL (no data)" : "FAIL";
            h.append("<tr class=\"").append(css).append("\"><td>").append(v.get("seq")).append("</td><td>")
                    .append(esc(v.get("ts"))).append("</td><td>").append(esc(v.get("check"))).append("</td><td>")
                    .append(shown).append("</td><td>").append(json(v.get("value"))).append("</td><td>")
                    .append(json(v.get("limit"))).append("</td><td>").append(esc(VerdictSentences.sentence(v)));
            List<String[]> rows = VerdictSentences.rows(evidence);
            if (!rows.isEmpty()) {
                h.append("<table class=\"evt\">");
                rows.forEach(r -> h.append("<tr><td>").append(esc(r[0])).append("</td><td>").append(esc(r[1])).append("</td></tr>"));
                h.append("</table>");
            }
            h.append("<details><summary>raw evidence</summary><div class=\"ev\">").append(json(evidence))
                    .append("</div></details></td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Latency p75 / p95 / p99 per region</h2>\n<p class=\"sub\">dashed lines: phase changes; "
                + "triangles: commands (hover for the rule)</p><div id=\"latency\"></div>\n");
        h.append("<h2>Error rate by class</h2><div id=\"errors\"></div>\n");
        h.append("<h2>Backlog</h2><div id=\"backlog\"></div>\n");
        h.append("<h2>RAG quality: ΔS and λ</h2><div id=\"rag\"></div>\n");

        Map<String, Object> parity = (Map<String, Object>) report.get("index_parity");
        h.append("<h2>Index metadata parity <span class=\"").append(Boolean.TRUE.equals(parity.get("parity")) ? "pass\">INDEX_HASH equal"
                : "fail\">INDEX_HASH differs").append("</span></h2>\n<table><tr><th>region</th><th>index_hash</th><th>metric</th>"
                + "<th>analyzer</th><th>embed_model</th><th>build_ts</th><th>seen at</th></tr>\n");
        ((Map<String, Map<String, Object>>) parity.get("regions")).forEach((region, row) -> h.append("<tr><td>")
                .append(esc(region)).append("</td><td class=\"mono\">").append(esc(row.get("index_hash"))).append("</td><td>")
                .append(esc(row.get("metric"))).append("</td><td>").append(esc(row.get("analyzer"))).append("</td><td>")
                .append(esc(row.get("embed_model"))).append("</td><td>").append(esc(row.get("build_ts"))).append("</td><td>")
                .append(esc(row.get("seen_at"))).append("</td></tr>\n"));
        h.append("</table>\n");

        List<Map<String, Object>> purges = (List<Map<String, Object>>) report.getOrDefault("cache_around_purges", List.of());
        h.append("<h2>Cache hit ratio around purges</h2>\n");
        if (purges.isEmpty()) {
            h.append("<p class=\"sub\">no purge_cache command in this drill</p>\n");
        } else {
            h.append("<table><tr><th>region</th><th>purged at</th><th>hit ratio before</th><th>lowest within 60 s</th>"
                    + "<th>last reported</th></tr>\n");
            purges.forEach(p -> h.append("<tr><td>").append(esc(p.get("region"))).append("</td><td>").append(esc(p.get("purged_at")))
                    .append("</td><td>").append(json(p.get("hit_ratio_before"))).append("</td><td>").append(json(p.get("lowest_after")))
                    .append("</td><td>").append(json(p.get("last"))).append("</td></tr>\n"));
            h.append("</table>\n");
        }
        h.append("<h2>Phases</h2>\n<table><tr><th>#</th><th>event time</th><th>from</th><th>to</th></tr>\n");
        for (Map<String, Object> p : (List<Map<String, Object>>) report.get("phases")) {
            h.append("<tr><td>").append(p.get("seq")).append("</td><td>").append(esc(p.get("ts"))).append("</td><td>")
                    .append(esc(p.get("from"))).append("</td><td>").append(esc(p.get("to"))).append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Commands</h2>\n<table><tr><th>#</th><th>event time</th><th>type</th><th>payload</th>"
                + "<th>rule</th><th>ack</th><th>command_id</th></tr>\n");
        for (Map<String, Object> c : (List<Map<String, Object>>) report.get("commands")) {
            Map<String, Object> reason = (Map<String, Object>) c.get("reason");
            Map<String, Object> payload = new java.util.TreeMap<>(c);
            List.of("type", "command_id", "drill_id", "seq", "ts", "reason", "ack").forEach(payload::remove);
            Map<String, Object> ack = (Map<String, Object>) c.get("ack");
            h.append("<tr><td>").append(c.get("seq")).append("</td><td>").append(esc(c.get("ts"))).append("</td><td>")
                    .append(esc(c.get("type"))).append("</td><td>").append(json(payload)).append("</td><td>")
                    .append(esc(reason.get("rule"))).append("</td><td>")
                    .append(ack == null ? "<span class=\"fail\">none</span>" : esc(ack.get("status") + " by " + ack.get("observer")))
                    .append("</td><td class=\"mono\">").append(esc(String.valueOf(c.get("command_id")).substring(0, 12)))
                    .append("…</td></tr>\n");
        }
        h.append("</table>\n<h2>Control events</h2>\n<table><tr><th>event time</th><th>action</th><th>fault</th></tr>\n");
        for (Map<String, Object> c : (List<Map<String, Object>>) report.get("controls")) {
            h.append("<tr><td>").append(esc(c.get("ts"))).append("</td><td>").append(esc(c.get("action"))).append("</td><td>")
                    .append(esc(c.get("fault"))).append("</td></tr>\n");
        }
        h.append("</table>\n<script type=\"application/json\" id=\"drill-report\">")
                .append(CanonicalJson.string(report).replace("</", "<\\/")).append("</script>\n<script>")
                .append(SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static String json(Object v) {
        return esc(v == null ? "" : CanonicalJson.string(v));
    }

    static String esc(Object o) {
        if (o == null) {
            return "";
        }
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String resource(String name) {
        try (InputStream in = ReportHtml.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
            .sub{color:#555}.pass{color:#1a7f37}.fail{color:#c62828;font-weight:bold}
            table{border-collapse:collapse;font-size:12px;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
            tr.bad{background:#fde7e7}tr.na{background:#f1f1f1;color:#666}tr.ok td:nth-child(4){color:#1a7f37}
            table.evt{margin:4px 0;width:auto}table.evt td{border:none;padding:0 8px 0 0;font-size:11px}.ev{font-family:monospace;font-size:11px;word-break:break-all}
            .mono{font-family:monospace}svg.chart{display:block;margin:8px 0;background:#fcfcfc;border:1px solid #eee}
            .grid{stroke:#eee}.lbl{font-size:10px;fill:#555}.ttl{font-size:12px;font-weight:bold;fill:#222}
            .phase{stroke:#999;stroke-dasharray:3 3}.phase-lbl{font-size:9px;fill:#777}.cmd{fill:#e6550d}
            """;
}

package io.failoverdrill.cli;

import io.failoverdrill.schemas.CanonicalJson;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.Timestamps;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One line per phase change, command (with the evidence that triggered it) and verdict; a verdict table at the end. */
final class ProgressPrinter {
    private static final int EVIDENCE_CHARS = 220;
    private final PrintWriter out;
    private final List<Verdict> verdicts = new ArrayList<>();
    private long printedSeq;

    /** Put before every line (a serve instance's drill id, so that the lines of many drills can be told apart). */
    private final String label;

    ProgressPrinter(PrintWriter out) {
        this(out, "");
    }

    ProgressPrinter(PrintWriter out, String label) {
        this.out = out;
        this.label = label.replace("%", "%%");
    }

    synchronized void print(Decision d) {
        printedSeq = Math.max(printedSeq, d.seq());
        String ts = Timestamps.format(d.tsMs()).substring(11, 23);
        if (d instanceof PhaseChange p) {
            out.printf(label + "%s  #%-3d phase    %s → %s%n", ts, d.seq(), p.from().wire(), p.to().wire());
            if (p.evidence() != null && p.evidence().get("stop") instanceof Map<?, ?> stop) {
                out.printf(label + "%18s emergency stop '%s' (event %s): %s%n", "", stop.get("scope"), stop.get("event_id"), stop.get("reason"));
            }
        } else if (d instanceof Command c) {
            out.printf(label + "%s  #%-3d command  %s %s%n", ts, d.seq(), c.type(), CanonicalJson.string(c.body().fields()));
            out.printf(label + "%18s rule %s, evidence %s%n", "", c.reason().rule(), clip(CanonicalJson.string(c.reason().evidence())));
        } else if (d instanceof Verdict v) {
            verdicts.add(v);
            out.printf(label + "%s  #%-3d verdict  %-18s %s  value %s  limit %s%n", ts, d.seq(), v.check(),
                    v.status().toUpperCase(java.util.Locale.ROOT), CanonicalJson.string(v.value()), CanonicalJson.string(v.limit()));
        }
        out.flush();
    }

    /**
     * One status line from a core's progress snapshot: phase, what it waits for (countdown), a dwell in progress,
     * each region's p95 and error rate over the detection window, live observers and how far event time lags. A
     * snapshot taken before or after the last decision printed ({@code last_seq}) is not shown: it would name another
     * phase than the one just printed.
     */
    @SuppressWarnings("unchecked")
    synchronized void status(Map<String, Object> progress, long wallNowMs) {
        if (progress.get("last_seq") instanceof Number seq && seq.longValue() != printedSeq) {
            return;
        }
        StringBuilder b = new StringBuilder("status   ").append(progress.get("phase"));
        if (progress.containsKey("in_phase_s")) {
            b.append(" (").append(progress.get("in_phase_s")).append(" s)");
        }
        if (progress.containsKey("waiting")) {
            b.append(" · waiting for ").append(progress.get("waiting"));
        }
        if (progress.containsKey("dwell")) {
            b.append(" · dwell ").append(progress.get("dwell"));
        }
        Object regions = progress.get("regions");
        if (regions instanceof Map<?, ?> m) {
            ((Map<String, Map<String, Object>>) m).forEach((region, row) -> b.append(" · ").append(region)
                    .append(" p95 ").append(row.get("p95_ms") == null ? "–" : row.get("p95_ms") + " ms")
                    .append(" err ").append(row.get("error_rate") == null ? "–"
                            : String.format(java.util.Locale.ROOT, "%.1f%%", ((Number) row.get("error_rate")).doubleValue() * 100)));
        }
        if (progress.get("watermark_ms") instanceof Number w) {
            b.append(" · ").append(progress.get("observers")).append(" observers, event time ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", (wallNowMs - w.longValue()) / 1000.0)).append(" s behind");
        }
        out.println(b);
        out.flush();
    }

    synchronized List<Verdict> verdicts() {
        return List.copyOf(verdicts);
    }

    synchronized void verdictTable() {
        out.println();
        out.printf("%-20s %-6s %-12s %-12s%n", "check", "status", "value", "limit");
        out.printf("%-20s %-6s %-12s %-12s%n", "-----", "------", "-----", "-----");
        for (Verdict v : verdicts) {
            out.printf("%-20s %-6s %-12s %-12s%n", v.check(), v.status(), CanonicalJson.string(v.value()),
                    CanonicalJson.string(v.limit()));
        }
        out.flush();
    }

    private static String clip(String s) {
        return s.length() <= EVIDENCE_CHARS ? s : s.substring(0, EVIDENCE_CHARS) + "…";
    }
}

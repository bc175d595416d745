package io.failoverdrill.engine.report;

import io.failoverdrill.schemas.CanonicalJson;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ReportBuilderTest {
    @Test
    @SuppressWarnings("unchecked")
    void brownoutReportCarriesEveryVerdictTheSeriesAndThePlanNumbersUsed() throws IOException {
        Map<String, Object> report = GoldenReports.build("brownout");
        List<String> decisions = Files.readAllLines(GoldenReports.DIR.resolve("brownout/decisions.jsonl"));
        long verdictLines = decisions.stream().filter(l -> l.contains("\"type\":\"verdict\"")).count();
        assertThat((List<?>) report.get("verdicts")).hasSize((int) verdictLines);
        Map<String, Object> summary = (Map<String, Object>) report.get("summary");
        assertThat(summary).containsEntry("passed", true).containsEntry("final_phase", "done");

        Map<String, Object> series = (Map<String, Object>) report.get("series");
        Map<String, List<List<Object>>> latency = (Map<String, List<List<Object>>>) series.get("latency_ms");
        assertThat(latency).containsOnlyKeys("us-east", "eu-west");
        for (List<List<Object>> points : latency.values()) {
            assertThat(points).hasSizeGreaterThan(20);
            for (List<Object> p : points) { // t, p75 ≤ p95 ≤ p99
                assertThat((Double) p.get(1)).isLessThanOrEqualTo((Double) p.get(2));
                assertThat((Double) p.get(2)).isLessThanOrEqualTo((Double) p.get(3));
            }
        }
        Map<String, Object> rag = (Map<String, Object>) series.get("rag");
        long pre = ((List<Long>) rag.get("delta_s_hist_pre")).stream().mapToLong(Long::longValue).sum();
        long post = ((List<Long>) rag.get("delta_s_hist_post")).stream().mapToLong(Long::longValue).sum();
        assertThat(pre).isPositive();
        assertThat(post).isPositive();
        assertThat(pre + post).isEqualTo(((List<?>) rag.get("probes")).size());
        assertThat((Map<String, Object>) series.get("backlog")).isNotEmpty();
        assertThat((Map<String, Object>) report.get("index_parity")).containsEntry("parity", true);
        Map<String, Object> plan = (Map<String, Object>) report.get("plan");
        assertThat((Map<String, Object>) plan.get("timeline")).containsKey("baseline_s");
        List<Map<String, Object>> commands = (List<Map<String, Object>>) report.get("commands");
        assertThat(commands).isNotEmpty().allSatisfy(c -> assertThat(c.get("ack")).as("ack of %s", c.get("type")).isNotNull());
    }

    @Test
    void indexSkewShowsTheParityBreakBeforeTheRebuildIsSeen() throws IOException {
        Map<String, Object> report = GoldenReports.build("index_skew");
        String json = CanonicalJson.string(report);
        assertThat(json).contains("\"check\":\"index_hash_parity\"");
        assertThat(json).contains("rebuild_index");
    }

    @Test
    void theReportDoesNotDependOnArrivalOrderOrDuplicates() throws IOException {
        Path dir = GoldenReports.DIR.resolve("webhook_reroute");
        DrillPlan plan = Codec.decodePlan(Files.readAllBytes(dir.resolve("plan.json")));
        List<InputEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
            events.add(Codec.decodeInput(line.getBytes(StandardCharsets.UTF_8)));
        }
        List<Decision> decisions = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("decisions.jsonl"))) {
            decisions.add(Codec.decodeDecision(line.getBytes(StandardCharsets.UTF_8)));
        }
        ReportBuilder inOrder = new ReportBuilder(plan);
        events.forEach(inOrder::accept);
        List<InputEvent> shuffled = new ArrayList<>(events);
        shuffled.addAll(events.subList(0, 500)); // duplicates
        Collections.shuffle(shuffled, new Random(20261129));
        ReportBuilder mixed = new ReportBuilder(plan);
        shuffled.forEach(mixed::accept);
        assertThat(CanonicalJson.string(mixed.build(decisions))).isEqualTo(CanonicalJson.string(inOrder.build(decisions)));
    }

    @Test
    void htmlIsSelfContainedAndCarriesItsData(@TempDir Path tmp) throws IOException {
        Path html = ReportFiles.write(tmp, GoldenReports.build("blackhole"));
        String page = Files.readString(html);
        assertThat(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(page).find())
                .as("no external resource").isFalse();
        assertThat(page).contains("id=\"drill-report\"").contains("<table>").contains("blackhole");
        assertThat(page).doesNotContain("</script><"); // the embedded JSON cannot close its script element early
        Map<?, ?> back = Codec.parse(Files.readAllBytes(tmp.resolve(ReportFiles.JSON))).isObject()
                ? Map.of("ok", true) : Map.of();
        assertThat(back).isNotEmpty();
    }
}

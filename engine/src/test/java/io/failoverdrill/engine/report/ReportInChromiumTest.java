package io.failoverdrill.engine.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opens a real report in headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it) and reads the
 * DOM after the page's script ran: every chart must be drawn as SVG with its series. Off CI the test is skipped
 * when no Chromium is installed; on CI ({@code CI=true}) a missing browser fails it.
 */
class ReportInChromiumTest {
    @Test
    void everyChartIsDrawnInAHeadlessBrowser(@TempDir Path tmp) throws Exception {
        Path chromium = chromium();
        Map<String, Object> report = GoldenReports.build("brownout");
        Path html = ReportFiles.write(tmp, report);
        String dom = run(chromium, tmp, "--dump-dom", html.toUri().toString());

        Matcher drawn = Pattern.compile("data-charts-drawn=\"(\\d+)\"").matcher(dom);
        assertThat(drawn.find()).as("the chart script ran to its end").isTrue();
        // 2 latency + 2 error-rate + 2 backlog + ΔS histogram + λ distribution
        assertThat(Integer.parseInt(drawn.group(1))).isEqualTo(8);
        assertThat(count(dom, "<svg ")).isEqualTo(8);
        assertThat(count(dom, "class=\"series\"")).as("polylines: 3 percentiles × 2 regions at least")
                .isGreaterThanOrEqualTo(6);
        assertThat(count(dom, "class=\"phase\"")).as("phase markers on every time chart").isGreaterThanOrEqualTo(6 * 5);
        assertThat(count(dom, "class=\"bar\"")).isGreaterThan(0);
        assertThat(dom).doesNotContain("data-empty=\"true\"");

        Path png = tmp.resolve("report.png");
        run(chromium, tmp, "--screenshot=" + png, "--window-size=1200,2400", html.toUri().toString());
        assertThat(Files.size(png)).as("a rendered page, not a blank one").isGreaterThan(50_000);
    }

    private static Path chromium() {
        return io.failoverdrill.kafka.testkit.RealPrograms.find("chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome");
    }

    private static String run(Path chromium, Path home, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=" + home.resolve("profile"),
                "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(home.resolve("chromium.err").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as("chromium exit; stderr in " + home.resolve("chromium.err")).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}

package io.failoverdrill.engine.report;

import io.failoverdrill.schemas.CanonicalJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a drill's evidence report as {@code report.json} (canonical JSON) and {@code report.html} into a directory. */
public final class ReportFiles {
    public static final String JSON = "report.json";
    public static final String HTML = "report.html";

    private ReportFiles() {
    }

    /** Writes both files, creating {@code dir} if needed; returns the HTML file. */
    public static Path write(Path dir, Map<String, Object> report) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(JSON), CanonicalJson.bytes(report));
            Path html = dir.resolve(HTML);
            Files.writeString(html, ReportHtml.render(report), StandardCharsets.UTF_8);
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
    }
}

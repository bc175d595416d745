package io.failoverdrill.engine.report;

import io.failoverdrill.engine.replay.FileReplay;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the report of one committed golden drill (engine/src/test/resources/drills/TYPE) the way replay does. */
final class GoldenReports {
    static final Path DIR = Path.of("src", "test", "resources", "drills");

    private GoldenReports() {
    }

    static Map<String, Object> build(String type) throws IOException {
        Path dir = DIR.resolve(type);
        DrillPlan plan = Codec.decodePlan(Files.readAllBytes(dir.resolve("plan.json")));
        ReportBuilder builder = new ReportBuilder(plan);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(dir.resolve("events.jsonl"))) {
            FileReplay.run(plan, in, log, null, builder::accept);
        }
        List<Decision> decisions = new ArrayList<>();
        for (String line : log.toString(StandardCharsets.UTF_8).split("\n")) {
            decisions.add(Codec.decodeDecision(line.getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build(decisions);
    }
}

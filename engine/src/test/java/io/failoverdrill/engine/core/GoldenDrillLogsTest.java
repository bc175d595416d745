package io.failoverdrill.engine.core;

import io.failoverdrill.engine.replay.FileReplay;
import io.failoverdrill.engine.testing.DrillTestDriver;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.plan.DrillType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A committed decision log for each drill type, produced from a committed event file: replaying the file must give
 * the log byte for byte. Regenerate both after an intended change with
 * {@code mvn -pl engine test -Dtest=GoldenDrillLogsTest -Ddrill.golden.update=true} and review the diff.
 */
class GoldenDrillLogsTest {
    static final Path DIR = Worlds.DRILLS;

    @TestFactory
    Stream<DynamicTest> replayingEachCommittedEventFileReproducesItsGoldenLog() {
        return Worlds.DURATION_S.keySet().stream().map(type -> DynamicTest.dynamicTest(type.wire(), () -> {
            Path dir = DIR.resolve(type.wire());
            if (Boolean.getBoolean("drill.golden.update")) {
                regenerate(type, dir);
            }
            byte[] plan = Files.readAllBytes(dir.resolve("plan.json"));
            byte[] events = Files.readAllBytes(dir.resolve("events.jsonl"));
            String golden = Files.readString(dir.resolve("decisions.jsonl"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FileReplay.Summary s = FileReplay.run(Codec.decodePlan(plan), new ByteArrayInputStream(events), out, null);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(golden);
            assertThat(s.finalPhase()).isEqualTo("done");
            assertThat(s.failedVerdicts()).isZero();
            assertThat(s.rejected()).isZero();
        }));
    }

    @TestFactory
    Stream<DynamicTest> malformedLinesMixedInChangeNothing() {
        return Stream.of("brownout", "return_home").map(type -> DynamicTest.dynamicTest(type, () -> {
            Path dir = DIR.resolve(type);
            byte[] plan = Files.readAllBytes(dir.resolve("plan.json"));
            String golden = Files.readString(dir.resolve("decisions.jsonl"));
            String[] bad = {"{not json", "[]", "{\"type\":\"request\",\"event_id\":\"x\"}", "{\"type\":\"tracing\"}",
                    "{\"type\":\"ack\",\"event_id\":\"a\",\"ts\":\"yesterday\"}"};
            StringBuilder mixed = new StringBuilder();
            int i = 0;
            for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
                mixed.append(line).append('\n');
                if (++i % 97 == 0) {
                    mixed.append(bad[(i / 97) % bad.length]).append('\n');
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream dlq = new ByteArrayOutputStream();
            FileReplay.Summary s = FileReplay.run(Codec.decodePlan(plan),
                    new ByteArrayInputStream(mixed.toString().getBytes(StandardCharsets.UTF_8)), out, dlq);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(golden);
            assertThat(s.rejected()).isEqualTo(i / 97);
            assertThat(dlq.toString(StandardCharsets.UTF_8).lines()).hasSize(i / 97)
                    .allSatisfy(l -> assertThat(l).contains("\"line\":", "\"reason\":"));
        }));
    }

    /** Writes the world's events and decisions for the committed plan (plan.json is edited by hand). */
    private static void regenerate(DrillType type, Path dir) throws IOException {
        DrillTestDriver world = Worlds.run(type, 2026);
        Files.writeString(dir.resolve("events.jsonl"), DrillTestDriver.jsonl(world.inputs()));
        Files.writeString(dir.resolve("decisions.jsonl"), world.decisionLog());
    }
}

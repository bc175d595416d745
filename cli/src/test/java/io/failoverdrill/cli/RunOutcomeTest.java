package io.failoverdrill.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The exit code of {@code drill run} for a drill that had ended before: read from its committed decision log. */
class RunOutcomeTest {
    static final List<String> GOLDEN = read(EngineProcessKillTest.DRILL.resolve("decisions.jsonl"));

    @Test
    void aLogEndingDoneWithEveryVerdictPassedPasses() {
        assertThat(RunCommand.passed(bytes(GOLDEN))).isTrue();
    }

    @Test
    void oneFailedVerdictFails() {
        List<String> failed = GOLDEN.stream().map(l -> l.contains("\"check\":\"health_ready\"")
                ? l.replace("\"status\":\"pass\"", "\"status\":\"fail\"") : l).toList();
        assertThat(failed).isNotEqualTo(GOLDEN);
        assertThat(RunCommand.passed(bytes(failed))).isFalse();
    }

    @Test
    void aLogThatDoesNotEndDoneFails() {
        assertThat(RunCommand.passed(bytes(GOLDEN.subList(0, GOLDEN.size() - 1)))).as("no phase to done").isFalse();
        assertThat(RunCommand.passed(new byte[0])).as("no decision at all").isFalse();
        List<String> aborted = GOLDEN.stream().map(l -> l.contains("\"to\":\"done\"") ? l.replace("\"to\":\"done\"", "\"to\":\"aborted\"") : l).toList();
        assertThat(RunCommand.passed(bytes(aborted))).isFalse();
    }

    private static byte[] bytes(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

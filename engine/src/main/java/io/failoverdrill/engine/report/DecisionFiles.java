package io.failoverdrill.engine.report;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Decision;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a decision log file (JSONL, docs/contracts.md §5) back into records. */
public final class DecisionFiles {
    private DecisionFiles() {
    }

    public static List<Decision> read(Path file) {
        List<Decision> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(Codec.decodeDecision(line.getBytes(StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the decision log " + file + ": " + e.getMessage(), e);
        }
        return out;
    }
}

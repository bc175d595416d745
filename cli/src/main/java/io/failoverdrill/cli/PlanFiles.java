package io.failoverdrill.cli;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loads plans from files, or from the plans bundled with the CLI ({@code classpath:plans/NAME.json}). */
final class PlanFiles {
    private PlanFiles() {
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("plan file not found: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read plan file " + file + ": " + e.getMessage(), e);
        }
    }

    static DrillPlan load(Path file) {
        return Codec.decodePlan(read(file));
    }

    static DrillPlan bundled(String name) {
        try (InputStream in = PlanFiles.class.getResourceAsStream("/plans/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no bundled plan named " + name);
            }
            return Codec.decodePlan(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

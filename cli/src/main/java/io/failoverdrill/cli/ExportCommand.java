package io.failoverdrill.cli;

import io.failoverdrill.engine.replay.TopicReplay;
import io.failoverdrill.schemas.Codec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code drill export --drill-id ID --out inputs.jsonl}: a drill's inputs, one JSON line each, in the order the
 * engine consumed them (its journal) — what {@code drill replay --input} needs to reproduce the committed decision
 * log byte for byte, without the topics. Records the engine rejected are left out (they decided nothing); a stop's
 * clearing is written as {@code {"type":"stop",…,"clear":true}}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a drill's inputs, in the order the engine consumed them, to a JSONL file for drill replay --input.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--drill-id", required = true, description = "the drill (or guard) to export")
    String drillId;

    @Option(names = "--out", required = true, description = "the JSONL file to write")
    Path outFile;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        long[] written = new long[1];
        long[] counts;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(outFile))) {
            counts = TopicReplay.consumed(kafka.reachableClient(), kafka.topics(), drillId, e -> {
                try {
                    out.write(Codec.encode(e));
                    out.write('\n');
                    written[0]++;
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        spec.commandLine().getOut().println("export   " + written[0] + " input events of '" + drillId + "' to " + outFile
                + " (" + counts[1] + " rejected records left out); replay: drill replay --plan PLAN --input " + outFile);
        return DrillCli.OK;
    }
}

package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.runtime.OutboundRecord;

import java.util.List;

/**
 * Topic names, all under one prefix (default {@code drill.}): telemetry (key = region), control, acks,
 * cutover and clamp commands (key = drill id), the decision log, the DLQ and the compacted state topic.
 */
public record Topics(String prefix) {
    public static final Topics DEFAULT = new Topics("drill.");

    public String telemetry() {
        return prefix + "telemetry";
    }

    public String control() {
        return prefix + "control";
    }

    public String acks() {
        return prefix + "acks";
    }

    public String cutoverCommands() {
        return prefix + "commands.cutover";
    }

    public String clampCommands() {
        return prefix + "commands.clamp";
    }

    public String decisions() {
        return prefix + "decisions";
    }

    public String dlq() {
        return prefix + "dlq";
    }

    public String state() {
        return prefix + "state";
    }

    /** What the engine consumes. */
    public List<String> inputs() {
        return List.of(telemetry(), control(), acks());
    }

    public String of(OutboundRecord.Destination d) {
        return switch (d) {
            case CUTOVER_COMMANDS -> cutoverCommands();
            case CLAMP_COMMANDS -> clampCommands();
            case DECISIONS -> decisions();
            case DLQ -> dlq();
        };
    }
}

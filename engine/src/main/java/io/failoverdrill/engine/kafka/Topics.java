package io.failoverdrill.engine.kafka;

import io.failoverdrill.engine.runtime.OutboundRecord;

import java.util.List;

/**
 * Topic names, all under one prefix (default {@code drill.}): telemetry (key = region), control, acks,
 * cutover and clamp commands (key = drill id), the decision log, the DLQ, the compacted emergency-stop and state
 * topics and the journal (the engine's arrival order, for recovery and replay).
 *
 * <p>{@code singleInput} puts telemetry, control and acks on one topic ({@code <prefix>input}): with one partition
 * the arrival order is the produce order, so two runs over the same input are identical by construction (used by
 * the recovery tests; the default keeps the three topics of the contracts).
 */
public record Topics(String prefix, boolean singleInput) {
    public static final Topics DEFAULT = new Topics("drill.");

    public Topics(String prefix) {
        this(prefix, false);
    }

    public String telemetry() {
        return singleInput ? prefix + "input" : prefix + "telemetry";
    }

    public String control() {
        return singleInput ? prefix + "input" : prefix + "control";
    }

    public String acks() {
        return singleInput ? prefix + "input" : prefix + "acks";
    }

    /** The compacted emergency-stop topic (key = {@code all} or a drill/guard id; a tombstone clears). */
    public String stop() {
        return prefix + "stop";
    }

    public String journal() {
        return prefix + "journal";
    }

    public String cutoverCommands() {
        return prefix + "commands.cutover";
    }

    public String clampCommands() {
        return prefix + "commands.clamp";
    }

    /** Where a dry run's commands go, both families: a topic no actuator reads. */
    public String dryrunCommands() {
        return prefix + "dryrun.commands";
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

    /** The compacted report topic: key = drill id, value = the report.json of the drill once it ended. */
    public String reports() {
        return prefix + "reports";
    }

    /**
     * The compacted plans topic: key = drill or guard id, value = its plan or policy JSON (a tombstone withdraws it);
     * {@code drill serve} instances share its partitions, and so the drills and guards, in one consumer group.
     */
    public String plans() {
        return prefix + "plans";
    }

    /** What the engine consumes. */
    public List<String> inputs() {
        return singleInput ? List.of(telemetry(), stop()) : List.of(telemetry(), control(), acks(), stop());
    }

    public String of(OutboundRecord.Destination d) {
        return switch (d) {
            case CUTOVER_COMMANDS -> cutoverCommands();
            case CLAMP_COMMANDS -> clampCommands();
            case DRYRUN_COMMANDS -> dryrunCommands();
            case DECISIONS -> decisions();
            case DLQ -> dlq();
            case JOURNAL -> journal();
            case STATE -> state();
        };
    }
}

package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.CompactedTopics;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.plan.PlanDecoder;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code drill submit FILE}: validates a drill plan or guard policy and writes it to the compacted plans topic under
 * its id, for the {@code drill serve} instances: a guard runs as soon as one of them has it, a drill on its start
 * control event. {@code drill submit --withdraw ID} writes the tombstone that stops it. An id keeps the plan it was
 * submitted with: a different plan under a submitted id is refused (withdraw it first, or use a new id).
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit a drill plan or guard policy to the drill serve instances (the plans topic), or withdraw one.")
final class SubmitCommand implements Callable<Integer> {
    static final class What {
        @Parameters(index = "0", paramLabel = "PLAN|POLICY", description = "the plan or policy JSON file")
        Path file;

        @Option(names = "--withdraw", paramLabel = "ID", description = "withdraw the drill or guard ID: its host stops running it")
        String withdraw;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        byte[] value = what.file == null ? null : PlanFiles.read(what.file);
        PlanRecord record = null;
        if (value != null) {
            try {
                record = PlanRecord.decode(null, value);
            } catch (PlanDecoder.PlanInvalid e) {
                e.violations().forEach(v -> err.println(what.file + ": " + v.getMessage()));
                return DrillCli.USAGE;
            } catch (ContractViolation v) {
                err.println(what.file + ": " + v.getMessage());
                return DrillCli.USAGE;
            }
        }
        String id = record == null ? what.withdraw : record.id();
        Map<String, Object> client = kafka.reachableClient();
        Topics topics = kafka.topics();
        TopicProvisioner.verify(client, topics, List.of(topics.plans()));
        byte[] before = CompactedTopics.plan(client, topics, id);
        if (record == null && before == null) {
            out.println("submit   nothing submitted under '" + id + "' on " + topics.plans() + ": nothing to withdraw");
            return DrillCli.OK;
        }
        if (record != null && before != null) {
            if (Arrays.equals(before, value)) {
                out.println("submit   " + record.kind() + " '" + id + "' is already submitted with this plan");
                return DrillCli.OK;
            }
            err.println("drill submit: '" + id + "' is already submitted with another plan; a drill or guard keeps the plan "
                    + "it was submitted with: withdraw it first (drill submit --withdraw " + id + ") or use a new id");
            return DrillCli.USAGE;
        }
        String where = OneRecord.send(client, new ProducerRecord<>(topics.plans(), id, value));
        if (record == null) {
            out.println("submit   withdrew '" + id + "' (tombstone at " + where + "): its host stops running it");
        } else {
            out.println("submit   " + record.kind() + " '" + id + "' submitted (" + where + "): "
                    + (record.guard() ? "a drill serve instance runs it now" : "a drill serve instance hosts it; it starts on its start control event"));
            PlanNotes.of(record.plan()).forEach(n -> out.println("submit   note: " + n));
        }
        return DrillCli.OK;
    }
}

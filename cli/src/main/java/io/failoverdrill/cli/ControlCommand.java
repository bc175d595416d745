package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.ControlEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code drill control start|abort|repair_done --drill ID}: writes one control event (docs/contracts.md §2) to the
 * control topic, signed with {@code --signing-key} when the drill's plan lists {@code control.signers}.
 */
@Command(name = "control", mixinStandardHelpOptions = true,
        description = "Send a control event (start, abort, repair_done) for a drill, optionally signed.")
final class ControlCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ACTION", description = "start, abort or repair_done")
    String action;

    @Option(names = "--drill", required = true, paramLabel = "ID", description = "the drill id")
    String drill;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    SignerOption signer;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!List.of("start", "abort", "repair_done").contains(action)) {
            spec.commandLine().getErr().println("drill control: ACTION must be start, abort or repair_done, got '" + action + "'");
            return DrillCli.USAGE;
        }
        Map<String, Object> client = kafka.reachableClient();
        Topics topics = kafka.topics();
        TopicProvisioner.verify(client, topics, List.of(topics.control()));
        long now = System.currentTimeMillis();
        ControlEvent event = new ControlEvent(action + "-" + drill + "-" + now + "-" + UUID.randomUUID().toString().substring(0, 8),
                now, drill, action, null);
        byte[] value = Codec.encode(event);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.control(), drill, value);
        signer.sign(record, value);
        String where = OneRecord.send(client, record);
        spec.commandLine().getOut().println("control  " + action + " " + drill + " (event " + event.eventId() + ", " + where + ")"
                + (signer.signingKey == null ? ", unsigned" : ", signed"));
        return DrillCli.OK;
    }
}

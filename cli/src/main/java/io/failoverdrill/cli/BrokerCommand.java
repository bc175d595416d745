package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.kafka.embedded.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code drill broker}: the embedded single-node KRaft broker alone, until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Start the embedded single-node KRaft Kafka broker and keep it running until Ctrl-C.")
final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--topic-prefix", defaultValue = "drill.", description = "prefix of the topics it creates (default: ${DEFAULT-VALUE})")
    String prefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        UntilStopped running = new UntilStopped();
        EmbeddedKafka kafka = running.add(EmbeddedKafka.start());
        TopicProvisioner.ensure(kafka.bootstrapServers(), new io.failoverdrill.engine.kafka.Topics(prefix), (short) 1);
        spec.commandLine().getOut().println("broker ready: --bootstrap-servers " + kafka.bootstrapServers()
                + " (topics under '" + prefix + "'); Ctrl-C stops it and deletes its data");
        spec.commandLine().getOut().flush();
        running.await();
        return DrillCli.OK;
    }
}

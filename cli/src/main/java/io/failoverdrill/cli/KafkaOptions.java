package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.Topics;
import picocli.CommandLine.Option;

/** The Kafka options every command that talks to Kafka shares: where the cluster is and the topic layout. */
final class KafkaOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]", description = "Kafka bootstrap servers")
    String bootstrap;

    @Option(names = "--topic-prefix", defaultValue = "drill.", description = "topic name prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--single-input", description = "telemetry, control and acks on one topic <prefix>input (one ordered log)")
    boolean singleInput;

    Topics topics() {
        return new Topics(prefix, singleInput);
    }

    boolean hasBootstrap() {
        return bootstrap != null;
    }

    /** The bootstrap servers, required by the command asking. */
    String bootstrap() {
        if (bootstrap == null) {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        return bootstrap;
    }
}

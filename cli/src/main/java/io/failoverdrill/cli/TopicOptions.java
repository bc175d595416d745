package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.Topics;
import picocli.CommandLine.Option;

/** The topic layout options shared by every command that reads or creates the product's topics. */
final class TopicOptions {
    @Option(names = "--topic-prefix", defaultValue = "drill.", description = "topic name prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--single-input", description = "telemetry, control and acks on one topic <prefix>input (one ordered log)")
    boolean singleInput;

    Topics topics() {
        return new Topics(prefix, singleInput);
    }
}

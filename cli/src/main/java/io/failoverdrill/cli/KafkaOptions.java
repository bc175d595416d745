package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.Topics;
import picocli.CommandLine.Option;

/** The Kafka options every command that talks to Kafka shares: where the cluster is and the topic layout. */
final class KafkaOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]", description = "Kafka bootstrap servers")
    String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*; Kafka's --command-config format); "
                    + "DRILL_KAFKA_* environment variables override them")
    java.nio.file.Path kafkaConfig;

    @Option(names = "--topic-prefix", defaultValue = "drill.", description = "topic name prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--single-input", description = "telemetry, control and acks on one topic <prefix>input (one ordered log)")
    boolean singleInput;

    Topics topics() {
        return new Topics(prefix, singleInput);
    }

    private java.util.Map<String, Object> client;

    /** Whether a cluster was named (--bootstrap-servers, --kafka-config or DRILL_KAFKA_BOOTSTRAP_SERVERS). */
    boolean hasBootstrap() {
        return bootstrap != null || kafkaConfig != null || System.getenv("DRILL_KAFKA_BOOTSTRAP_SERVERS") != null;
    }

    /** The user's client properties, checked once (bad file → exit 2 naming the file and the property). */
    java.util.Map<String, Object> client() {
        if (client == null) {
            client = java.util.Map.copyOf(KafkaClientConfig.load(bootstrap, kafkaConfig, System.getenv()));
        }
        return client;
    }

    /** The bootstrap servers, required by the command asking. */
    String bootstrap() {
        return String.valueOf(client().get("bootstrap.servers"));
    }

    /** The client properties of a cluster that answers: one line naming the servers and the cause within 15 s. */
    java.util.Map<String, Object> reachableClient() {
        io.failoverdrill.engine.kafka.KafkaReachability.check(client(), java.time.Duration.ofSeconds(10));
        return client();
    }
}

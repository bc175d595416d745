package io.failoverdrill.kafka.embedded;

/** A running Kafka cluster that clients can reach. */
public interface KafkaEndpoint extends AutoCloseable {
    String bootstrapServers();

    @Override
    void close();
}

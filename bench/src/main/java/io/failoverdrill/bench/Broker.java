package io.failoverdrill.bench;

import io.failoverdrill.kafka.embedded.EmbeddedKafka;

/**
 * The broker a harness runs against: the one {@code --bootstrap-servers} names, or else an in-JVM KRaft broker started
 * here and stopped on {@link #close}.
 */
final class Broker implements AutoCloseable {
    private final EmbeddedKafka embedded;
    private final String bootstrap;

    private Broker(EmbeddedKafka embedded, String bootstrap) {
        this.embedded = embedded;
        this.bootstrap = bootstrap;
    }

    static Broker of(String[] args) throws Exception {
        String given = EndToEndHarness.arg(args, "--bootstrap-servers", null);
        if (given != null) {
            return new Broker(null, given);
        }
        EmbeddedKafka started = EmbeddedKafka.start();
        return new Broker(started, started.bootstrapServers());
    }

    String bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}

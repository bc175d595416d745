package io.failoverdrill.cli;

import picocli.CommandLine.Option;

/** The options of a long-running engine ({@code drill run}, {@code drill guard}): topics it creates, metrics, status. */
final class EngineOptions {
    @Option(names = "--replication-factor", defaultValue = "3", description = "for topics the engine creates (default: ${DEFAULT-VALUE})")
    short replicationFactor;

    @Option(names = "--metrics-port", defaultValue = "-1",
            description = "serve Prometheus text on http://0.0.0.0:PORT/metrics (0 = any free port; default off)")
    int metricsPort;

    @Option(names = "--status-every-s", defaultValue = "10",
            description = "print a status line (phase, countdown, dwell, p95 and error rate per region) this often; 0 = never (default: ${DEFAULT-VALUE})")
    int statusEveryS;
}

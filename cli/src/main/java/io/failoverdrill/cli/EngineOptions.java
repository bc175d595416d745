package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.StartPosition;
import picocli.CommandLine.Option;

/** The options of a long-running engine ({@code drill run}, {@code drill guard}): where a first start reads, signing, metrics and status lines. */
final class EngineOptions {
    @Option(names = "--signing-key", paramLabel = "FILE",
            description = "sign every command with this Ed25519 key (drill keys gen; owner-only file); re-read when replaced")
    java.nio.file.Path signingKey;

    @Option(names = "--keyset", paramLabel = "FILE",
            description = "accept emergency stops, their clearing and control events only when signed by an active key of "
                    + "this key set (control events: by one the plan lists in control.signers); re-read when changed")
    java.nio.file.Path keyset;

    @Option(names = "--from", paramLabel = "WHERE",
            description = "where a first start reads the input: earliest, latest, an ISO-8601 instant (records published "
                    + "at or after it) or a look-back (PT30M); a restart resumes where it committed. "
                    + "Default: latest for drill guard and the guards of drill serve; for drill run, and the drills of drill "
                    + "serve, what was published from a look-back before the drill's start control record (twice its "
                    + "baseline and allowed lateness, at least 5 minutes; earliest with --single-input)")
    String from;

    @Option(names = "--metrics-port", defaultValue = "-1",
            description = "serve Prometheus text on http://0.0.0.0:PORT/metrics (0 = any free port; default off)")
    int metricsPort;

    @Option(names = "--status-every-s", defaultValue = "10",
            description = "print a status line (phase, countdown, dwell, p95 and error rate per region) this often; 0 = never; drill serve prints none: see drill list (default: ${DEFAULT-VALUE})")
    int statusEveryS;

    /** {@code --from} as given, or {@code otherwise} when absent. */
    StartPosition from(StartPosition otherwise) {
        return from == null ? otherwise : StartPosition.parse("--from", from, System::currentTimeMillis);
    }
}

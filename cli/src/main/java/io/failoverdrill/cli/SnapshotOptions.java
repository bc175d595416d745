package io.failoverdrill.cli;

import io.failoverdrill.engine.runtime.DrillRuntime;
import picocli.CommandLine.Option;

import java.time.Duration;

/** How often a guard writes a snapshot of its state ({@code drill guard}, {@code drill serve}). */
final class SnapshotOptions {
    @Option(names = "--snapshot-every-records", defaultValue = "" + DrillRuntime.DEFAULT_SNAPSHOT_EVERY_RECORDS, paramLabel = "N",
            description = "write a snapshot of a guard's state after this many consumed records (default: ${DEFAULT-VALUE}), "
                    + "or more after a large one: at most 32 bytes of snapshot per consumed record (a snapshot holds the "
                    + "event ids of the allowed lateness, about 25 bytes per event: at 100,000 events/s its 7.5 MB follow "
                    + "every 235,000 records)")
    long records;

    @Option(names = "--snapshot-every-s", defaultValue = "" + DrillRuntime.DEFAULT_SNAPSHOT_EVERY_S, paramLabel = "S",
            description = "… or this many seconds after the last one, whichever comes first; a restart, or a guard "
                    + "moved to another instance, re-feeds only the input after the last snapshot (default: ${DEFAULT-VALUE})")
    long seconds;

    /** Both must be at least 1 (an IllegalArgumentException naming them otherwise). */
    SnapshotOptions check() {
        if (records < 1 || seconds < 1) {
            throw new IllegalArgumentException("--snapshot-every-records and --snapshot-every-s must be ≥ 1");
        }
        return this;
    }

    SupervisedEngine applyTo(SupervisedEngine engine) {
        return engine.snapshotEvery(check().records, Duration.ofSeconds(seconds));
    }
}

package io.failoverdrill.cli;

import io.failoverdrill.engine.runtime.DrillRuntime;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints the running engine's progress as a status line every few seconds (wall clock: display only). */
final class StatusLines {
    private StatusLines() {
    }

    /** Starts printing every {@code seconds} (0 = never); close the result to stop. */
    static AutoCloseable every(int seconds, ProgressPrinter printer, java.util.function.Supplier<DrillRuntime> current) {
        if (seconds <= 0) {
            return () -> { };
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drill-status");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            DrillRuntime runtime = current.get();
            if (runtime != null) {
                printer.status(runtime.progress(), System.currentTimeMillis());
            }
        }, seconds, seconds, TimeUnit.SECONDS);
        return timer::shutdownNow;
    }

    static void close(AutoCloseable status) {
        try {
            status.close();
        } catch (Exception ignored) {
            // a timer that cannot stop is a daemon anyway
        }
    }
}

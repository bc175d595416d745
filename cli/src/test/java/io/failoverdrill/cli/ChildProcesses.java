package io.failoverdrill.cli;

import java.util.concurrent.TimeUnit;

/** Ending the JVMs a test started: none may outlive it (an orphan keeps a core busy for the rest of the build). */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /** SIGTERM, up to 20 s to exit, then SIGKILL. */
    static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }
}

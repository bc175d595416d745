package io.failoverdrill.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * What a long-running command started; on Ctrl-C (JVM shutdown) everything is closed in reverse order. A part that
 * stops by itself on an error calls {@link #fail()}, so that the command ends (non-zero) instead of running on idle.
 */
final class UntilStopped {
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean failed;

    <T extends AutoCloseable> T add(T thing) {
        synchronized (started) {
            started.push(thing);
        }
        return thing;
    }

    /** Ends {@link #await()}: something that was started stopped on an error. */
    void fail() {
        failed = true;
        stop.countDown();
    }

    /**
     * Blocks until the JVM is asked to stop or {@link #fail()} is called, then closes what was added; true when a
     * failure ended it.
     */
    boolean await() throws InterruptedException {
        Thread hook = new Thread(() -> {
            closeAll();
            stop.countDown();
        }, "drill-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stop.await();
        if (failed) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook closes everything
            }
            closeAll();
        }
        return failed;
    }

    private void closeAll() {
        synchronized (started) {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception ignored) {
                    // best effort while the command stops
                }
            }
        }
    }
}

package io.failoverdrill.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/** What a long-running command started; on Ctrl-C (JVM shutdown) everything is closed in reverse order. */
final class UntilStopped {
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T thing) {
        synchronized (started) {
            started.push(thing);
        }
        return thing;
    }

    /** Blocks until the JVM is asked to stop, then closes what was added. */
    void await() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (started) {
                while (!started.isEmpty()) {
                    try {
                        started.pop().close();
                    } catch (Exception ignored) {
                        // best effort while the JVM stops
                    }
                }
            }
            stop.countDown();
        }, "drill-shutdown"));
        stop.await();
    }
}

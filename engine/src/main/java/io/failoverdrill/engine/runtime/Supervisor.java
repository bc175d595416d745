package io.failoverdrill.engine.runtime;

import io.failoverdrill.schemas.decision.Decision;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Keeps a drill's engine running: when the pipeline fails (receiver error, broker gone, a failed transaction), a
 * fresh runtime is built and started after an exponential backoff. Nothing is lost: the new runtime recovers the
 * core from the journal and resumes after the last committed batch, and what was not committed is consumed again.
 * A fatal error (this engine was fenced by another one for the same drill, or found on restart that another one has
 * been committing since — {@link EngineSupersededException}) is not retried.
 */
public final class Supervisor {
    private Supervisor() {
    }

    public static Flux<Decision> supervise(Supplier<DrillRuntime> factory, Duration firstBackoff, Duration maxBackoff,
                                           Predicate<Throwable> fatal, Consumer<Throwable> onRestart, Scheduler timer) {
        return Flux.defer(() -> factory.get().run())
                .retryWhen(Retry.backoff(Long.MAX_VALUE, firstBackoff).maxBackoff(maxBackoff).scheduler(timer)
                        .filter(fatal.negate())
                        .doBeforeRetry(s -> onRestart.accept(s.failure())));
    }

    /**
     * True when {@code t} (or a cause) is a Kafka authorization failure: a restart cannot fix a missing ACL, so the
     * engine stops and says which.
     */
    public static boolean unauthorized(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c.getClass().getSimpleName().endsWith("AuthorizationException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when restarting cannot help: {@code t} (or a cause) says another engine fenced or superseded this one, the
     * latest snapshot cannot be restored, or the journal names input the broker no longer keeps (it will not come back).
     */
    public static boolean fenced(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EngineSupersededException || c instanceof SnapshotUnusableException) {
                return true;
            }
            String name = c.getClass().getSimpleName();
            if (name.equals("ProducerFencedException") || name.equals("InvalidProducerEpochException")
                    || name.equals("FencedInstanceIdException") || name.equals("BeyondRetentionException")) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}

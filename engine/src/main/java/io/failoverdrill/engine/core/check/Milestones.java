package io.failoverdrill.engine.core.check;

/**
 * When the drill's cutover happened, in event time (epoch ms): the evacuation decision, and the first applied ack
 * of the route flip, of the promotion and of the webhook reroute. {@code Long.MIN_VALUE} (decision) or
 * {@code Long.MAX_VALUE} (acks) while it has not happened.
 */
public final class Milestones {
    private long evacuateDecisionMs = Long.MIN_VALUE;
    private long flipMs = Long.MAX_VALUE;
    private long writerSinceMs = Long.MAX_VALUE;
    private long webhooksRoutedMs = Long.MAX_VALUE;

    public void evacuationDecided(long tsMs) {
        evacuateDecisionMs = tsMs;
    }

    /** The first applied ack of a {@code set_weights}. */
    public void routeFlipped(long ackTsMs) {
        if (flipMs == Long.MAX_VALUE) {
            flipMs = ackTsMs;
        }
    }

    public void writerPromoted(long ackTsMs) {
        writerSinceMs = Math.min(writerSinceMs, ackTsMs);
    }

    public void webhooksRouted(long ackTsMs) {
        webhooksRoutedMs = Math.min(webhooksRoutedMs, ackTsMs);
    }

    public boolean evacuationStarted() {
        return evacuateDecisionMs != Long.MIN_VALUE;
    }

    public long evacuateDecisionMs() {
        return evacuateDecisionMs;
    }

    public long flipMs() {
        return flipMs;
    }

    public long writerSinceMs() {
        return writerSinceMs;
    }

    public long webhooksRoutedMs() {
        return webhooksRoutedMs;
    }
}

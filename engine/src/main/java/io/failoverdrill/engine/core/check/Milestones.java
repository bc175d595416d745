package io.failoverdrill.engine.core.check;

/**
 * When the drill started and its cutover happened, in event time (epoch ms): the start, the evacuation decision, and the first applied ack
 * of the route flip, of the promotion, of the sessions' stick and of the webhook reroute. {@code Long.MIN_VALUE} (decision) or
 * {@code Long.MAX_VALUE} (acks) while it has not happened.
 */
public final class Milestones {
    private long startedMs = Long.MIN_VALUE;
    private long evacuateDecisionMs = Long.MIN_VALUE;
    private long flipMs = Long.MAX_VALUE;
    private long writerSinceMs = Long.MAX_VALUE;
    private long promotionDecidedMs = Long.MAX_VALUE;
    private long webhooksRoutedMs = Long.MAX_VALUE;
    private String stickRegion;
    private long stickUntilMs = Long.MIN_VALUE;
    private long stickAppliedMs = Long.MAX_VALUE;

    /** The drill started (entered precheck): every verdict window begins here. */
    public void started(long tsMs) {
        startedMs = tsMs;
    }

    /** When the drill started, or {@code Long.MIN_VALUE} before. */
    public long startedMs() {
        return startedMs;
    }

    public void evacuationDecided(long tsMs) {
        evacuateDecisionMs = tsMs;
    }

    /** The first applied ack of a {@code set_weights}. */
    public void routeFlipped(long ackTsMs) {
        if (flipMs == Long.MAX_VALUE) {
            flipMs = ackTsMs;
        }
    }

    /** The {@code promote_writer} command was issued: from here until its ack, old and new writer may both apply. */
    public void promotionDecided(long tsMs) {
        promotionDecidedMs = Math.min(promotionDecidedMs, tsMs);
    }

    public long promotionDecidedMs() {
        return promotionDecidedMs;
    }

    public void writerPromoted(long ackTsMs) {
        writerSinceMs = Math.min(writerSinceMs, ackTsMs);
    }

    public void webhooksRouted(long ackTsMs) {
        webhooksRoutedMs = Math.min(webhooksRoutedMs, ackTsMs);
    }

    /**
     * A {@code stick} was issued: sessions to {@code region} until {@code untilMs} (event time) — the end of
     * {@code stick_announced}'s window, and of the safety rules' lock-out on routing back.
     */
    public void stickIssued(String region, long untilMs) {
        stickRegion = region;
        stickUntilMs = untilMs;
    }

    /** The first applied ack of the {@code stick}. */
    public void stickApplied(long ackTsMs) {
        stickAppliedMs = Math.min(stickAppliedMs, ackTsMs);
    }

    /** The region of the last {@code stick} issued, or null before any. */
    public String stickRegion() {
        return stickRegion;
    }

    /** Until when the last {@code stick} holds sessions ({@code Long.MIN_VALUE} before any). */
    public long stickUntilMs() {
        return stickUntilMs;
    }

    public long stickAppliedMs() {
        return stickAppliedMs;
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

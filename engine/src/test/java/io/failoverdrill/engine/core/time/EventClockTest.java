package io.failoverdrill.engine.core.time;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watermark follows the observers that agree: a lone jump far ahead (a probe with a wrong clock, a record with a
 * wrong ts) waits for confirmation instead of making every other observer stale; probes resuming together, or the
 * one probe left, still move time on; a dead observer still stops holding time back.
 */
class EventClockTest {
    static final long T = 1_796_000_000_000L;
    static final long LATENESS = 2_000;
    static final long STALE = 10_000;
    final EventClock clock = new EventClock(LATENESS, STALE);

    /** Observers {@code a} and {@code b} report every 100 ms over {@code [fromMs, toMs)} (offsets from T). */
    void both(long fromMs, long toMs) {
        for (long t = fromMs; t < toMs; t += 100) {
            clock.observe("a", T + t);
            clock.observe("b", T + t + 50);
        }
    }

    /** Only {@code observer} reports, every 100 ms over {@code [fromMs, toMs)}. */
    void alone(String observer, long fromMs, long toMs) {
        for (long t = fromMs; t < toMs; t += 100) {
            clock.observe(observer, T + t);
        }
    }

    @Test
    void aLoneEventAnHourAheadMovesNothing() {
        both(0, 30_000);
        clock.observe("c", T + 3_600_000);
        assertThat(clock.watermark()).isEqualTo(T + 29_900 - LATENESS);
        both(30_000, 40_000);
        assertThat(clock.watermark()).isEqualTo(T + 39_900 - LATENESS);
        assertThat(clock.isLate(T + 39_000)).as("the others' telemetry is not late").isFalse();
        assertThat(clock.liveObservers()).isEqualTo(2);
    }

    @Test
    void aProbeWhoseClockIsAnHourAheadIsOutvotedForAsLongAsItSends() {
        both(0, 10_000);
        for (long t = 10_000; t < 120_000; t += 100) {
            clock.observe("a", T + t);
            clock.observe("skewed", T + 3_600_000 + t);
            clock.observe("b", T + t + 50);
        }
        assertThat(clock.watermark()).isEqualTo(T + 119_900 - LATENESS);
    }

    @Test
    void aProbeThatWasRightAndThenJumpsIsLeftBehindAsStale() {
        for (long t = 0; t < 20_000; t += 100) {
            clock.observe("a", T + t);
            clock.observe("b", T + t);
            clock.observe("c", T + t);
        }
        for (long t = 20_000; t < 60_000; t += 100) {
            clock.observe("a", T + t);
            clock.observe("b", T + t);
            clock.observe("c", T + 3_600_000 + t);
        }
        assertThat(clock.watermark()).isEqualTo(T + 59_900 - LATENESS);
        assertThat(clock.isLive("c")).isFalse();
    }

    @Test
    void probesResumingTogetherAfterAPauseMoveTimeAtOnce() {
        both(0, 10_000);
        clock.observe("a", T + 600_000);
        assertThat(clock.watermark()).as("one probe alone: not yet").isEqualTo(T + 9_900 - LATENESS);
        clock.observe("b", T + 600_050);
        assertThat(clock.watermark()).isEqualTo(T + 600_000 - LATENESS);
        both(600_100, 601_000);
        assertThat(clock.watermark()).isEqualTo(T + 600_900 - LATENESS);
    }

    @Test
    void theOneProbeLeftAfterAPauseMovesTimeOnceItRanOnAloneForTheStaleTime() {
        both(0, 10_000);
        alone("a", 600_000, 609_900);
        assertThat(clock.watermark()).as("b may yet come back").isEqualTo(T + 9_900 - LATENESS);
        clock.observe("a", T + 610_000);
        assertThat(clock.watermark()).isEqualTo(T + 610_000 - LATENESS);
        assertThat(clock.isLive("b")).isFalse();
    }

    @Test
    void aSoleObserverJumpsFreely() {
        alone("a", 0, 5_000);
        clock.observe("a", T + 600_000);
        assertThat(clock.watermark()).isEqualTo(T + 600_000 - LATENESS);
    }

    @Test
    void aDeadObserverStillStopsHoldingTimeBack() {
        both(0, 10_000);
        alone("a", 10_000, 40_000);
        assertThat(clock.isLive("b")).isFalse();
        assertThat(clock.watermark()).isEqualTo(T + 39_900 - LATENESS);
    }

    @Test
    void aPendingJumpSurvivesASnapshot() {
        both(0, 10_000);
        clock.observe("a", T + 600_000);
        EventClock restored = new EventClock(LATENESS, STALE);
        restored.restore(clock.state());
        assertThat(restored.state()).isEqualTo(clock.state());
        restored.observe("b", T + 600_050);
        assertThat(restored.watermark()).as("the jump held before the snapshot is confirmed after it")
                .isEqualTo(T + 600_000 - LATENESS);
    }
}

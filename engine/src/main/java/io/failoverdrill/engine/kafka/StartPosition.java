package io.failoverdrill.engine.kafka;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.LongSupplier;

/**
 * Where an engine that has never committed starts reading its input topics (telemetry, control, acks) — the stop
 * topic is always read from its beginning, so that a stop in force is never missed. Once the engine has committed a
 * batch, it resumes from its committed offsets and this no longer applies. Times are Kafka record timestamps (the
 * time a probe published, or the broker's append time), not the events' {@code ts}.
 */
public sealed interface StartPosition {
    /** Every record still retained. */
    record Earliest() implements StartPosition {
        @Override
        public String describe() {
            return "the earliest retained record";
        }
    }

    /** Only records published after the engine was assigned its partitions. */
    record Latest() implements StartPosition {
        @Override
        public String describe() {
            return "the end of the input (latest)";
        }
    }

    /** The first record whose timestamp is at or after {@code epochMs}; the end when there is none. */
    record At(long epochMs) implements StartPosition {
        @Override
        public String describe() {
            return "records published from " + Instant.ofEpochMilli(epochMs);
        }
    }

    /**
     * A drill's default: the records published from {@code lookBackMs} before its first {@code start} control record
     * — or, while it has none yet, before the engine's first start — so that its baseline window has its data
     * without replaying every retained record. Resolved once, on the first start ({@link #resolve}).
     */
    record BeforeStart(long lookBackMs) implements StartPosition {
        public BeforeStart {
            if (lookBackMs <= 0) {
                throw new IllegalArgumentException("a look-back must be positive, got " + lookBackMs + " ms");
            }
        }

        @Override
        public String describe() {
            return "records published from " + Duration.ofMillis(lookBackMs) + " before the drill's start";
        }
    }

    /**
     * The look-back a drill reads before its start: its baseline, the allowed lateness and the same again as a
     * margin for probes whose clocks or publishing lag behind, at least 5 minutes.
     */
    static BeforeStart beforeStart(io.failoverdrill.schemas.plan.DrillPlan plan) {
        long baselineMs = plan.timeline().baselineS() * 1000L;
        return new BeforeStart(Math.max(Duration.ofMinutes(5).toMillis(), 2 * (baselineMs + plan.allowedLatenessMs())));
    }

    /** For a status line: where a first start reads; a restart resumes where it committed. */
    String describe();

    StartPosition EARLIEST = new Earliest();
    StartPosition LATEST = new Latest();

    /**
     * {@code earliest}, {@code latest}, an ISO-8601 instant ({@code 2026-12-01T10:00:00Z}) or an ISO-8601 duration
     * back from {@code nowMs} ({@code PT30M}: the last 30 minutes).
     *
     * @throws IllegalArgumentException naming {@code option} and the accepted forms
     */
    static StartPosition parse(String option, String value, LongSupplier nowMs) {
        String v = value.trim();
        if (v.equalsIgnoreCase("earliest")) {
            return EARLIEST;
        }
        if (v.equalsIgnoreCase("latest")) {
            return LATEST;
        }
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                Duration back = Duration.parse(v);
                if (back.isNegative() || back.isZero()) {
                    throw new IllegalArgumentException(option + " " + value + ": a look-back must be positive");
                }
                return new At(nowMs.getAsLong() - back.toMillis());
            }
            return new At(Instant.parse(v).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + value + "': expected earliest, latest, an ISO-8601 instant "
                    + "(2026-12-01T10:00:00Z) or a look-back duration (PT30M)");
        }
    }
}

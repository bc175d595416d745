package io.failoverdrill.engine.core.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.failoverdrill.schemas.event.InputEvent;

import java.util.function.LongConsumer;

/**
 * The event-time front door shared by every core: drops repeated {@code event_id}s, tells late telemetry apart,
 * moves the watermark ({@link EventClock}) as observers report, and calls the core once per whole second the
 * watermark has passed (in order, none skipped). Keeps the counts.
 */
public final class EventIntake {
    private final EventClock clock;
    private final DuplicateFilter duplicates = new DuplicateFilter();
    private final EventCounts counts = new EventCounts();
    private long lastTickMs = Long.MIN_VALUE;

    public EventIntake(long allowedLatenessMs, long staleObserverMs) {
        this.clock = new EventClock(allowedLatenessMs, staleObserverMs);
    }

    /** Counts the event; false when its {@code event_id} was seen before (a duplicate, to be ignored). */
    public boolean firstTime(InputEvent event) {
        counts.countReceived();
        if (!duplicates.firstTime(event.eventId(), event.tsMs())) {
            counts.countDuplicate();
            return false;
        }
        return true;
    }

    /** True (and counted) when {@code tsMs} is behind the watermark. */
    public boolean late(long tsMs) {
        if (clock.isLate(tsMs)) {
            counts.countLate();
            return true;
        }
        return false;
    }

    /** {@code observer} reported at {@code tsMs}: ticks {@code second} for every whole second the watermark passed. */
    public void observed(String observer, long tsMs, LongConsumer second) {
        long watermarkMs = clock.observe(observer, tsMs);
        if (watermarkMs == Long.MIN_VALUE) {
            return;
        }
        long target = Math.floorDiv(watermarkMs, 1000) * 1000;
        if (lastTickMs == Long.MIN_VALUE) {
            lastTickMs = target - 1000;
        }
        while (lastTickMs < target) {
            lastTickMs += 1000;
            second.accept(lastTickMs);
        }
        duplicates.forgetBefore(watermarkMs);
    }

    public EventClock clock() {
        return clock;
    }

    public EventCounts counts() {
        return counts;
    }

    /** The clock, the remembered event ids, the counts and the last second ticked, for a snapshot. */
    public ObjectNode state() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("clock", clock.state());
        n.set("seen", duplicates.state());
        n.set("counts", counts.state());
        n.put("last_tick_ms", lastTickMs);
        return n;
    }

    /** Replaces this intake's state with {@link #state()}'s. */
    public void restore(JsonNode n) {
        clock.restore(n.get("clock"));
        duplicates.restore(n.get("seen"));
        counts.restore(n.get("counts"));
        lastTickMs = n.get("last_tick_ms").longValue();
    }
}

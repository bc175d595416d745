package io.failoverdrill.engine.core.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How many events a core received, used, dropped as duplicates, found late, or found too far ahead of the watermark. */
public final class EventCounts {
    private long received;
    private long used;
    private long duplicates;
    private long late;
    private long tooFarAhead;

    void countReceived() {
        received++;
    }

    void countDuplicate() {
        duplicates++;
    }

    void countLate() {
        late++;
    }

    /** The event changed what the core knows. */
    public void countUsed() {
        used++;
    }

    /** The event's second lies beyond the window ring ahead of the watermark: ignored. */
    public void countTooFarAhead() {
        tooFarAhead++;
    }

    public long received() {
        return received;
    }

    public long used() {
        return used;
    }

    public long duplicates() {
        return duplicates;
    }

    public long late() {
        return late;
    }

    public long tooFarAhead() {
        return tooFarAhead;
    }

    /** The counts, for a snapshot. */
    public ObjectNode state() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("received", received).put("used", used).put("duplicates", duplicates).put("late", late)
                .put("too_far_ahead", tooFarAhead);
        return n;
    }

    /** Sets the counts from {@link #state()}. */
    public void restore(JsonNode n) {
        received = n.get("received").longValue();
        used = n.get("used").longValue();
        duplicates = n.get("duplicates").longValue();
        late = n.get("late").longValue();
        tooFarAhead = n.get("too_far_ahead").longValue();
    }
}

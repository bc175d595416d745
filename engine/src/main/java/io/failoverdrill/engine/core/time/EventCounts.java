package io.failoverdrill.engine.core.time;

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
}

package io.failoverdrill.engine.core.drill;

import io.failoverdrill.schemas.event.ControlEvent;

import java.util.ArrayList;
import java.util.List;

/** The control events applied so far: start, abort, repair done, and the faults announced (evidence only). */
final class OperatorActions {
    private boolean startRequested;
    private boolean abortRequested;
    private boolean repairDone;
    private final List<ControlEvent> faults = new ArrayList<>();

    void apply(ControlEvent c) {
        switch (c.action()) {
            case "start" -> startRequested = true;
            case "abort" -> abortRequested = true;
            case "repair_done" -> repairDone = true;
            default -> faults.add(c);
        }
    }

    boolean startRequested() {
        return startRequested;
    }

    boolean abortRequested() {
        return abortRequested;
    }

    boolean repairDone() {
        return repairDone;
    }

    /** Faults announced so far, as {@code kind@region}. */
    List<String> faultEvidence() {
        return faults.stream().map(f -> f.fault().kind() + "@" + f.fault().region()).toList();
    }
}

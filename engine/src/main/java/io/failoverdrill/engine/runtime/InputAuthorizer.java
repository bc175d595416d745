package io.failoverdrill.engine.runtime;

import io.failoverdrill.schemas.event.ControlEvent;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.event.StopEvent;
import io.failoverdrill.schemas.sign.KeySet;
import io.failoverdrill.schemas.sign.SigningKey;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Who may steer the engine (docs/security.md): with a key set, an emergency stop must be signed by one of its
 * active keys, and its clearing (a tombstone) must name the stop it lifts in {@code drill-clears} and be signed
 * over {@link SigningKey#clearingBytes}; a drill's control events ({@code start}, {@code abort},
 * {@code repair_done}, {@code fault}) must be signed by a key its plan lists in {@code control.signers}. A record
 * refused here goes to the DLQ with the reason and never reaches the core — nor the journal, so recovery and
 * replay, which feed exactly the journaled records, never need a key. Telemetry and acks are not signed.
 */
public final class InputAuthorizer {
    /** Lets everything through: no key set, no signers. */
    public static final InputAuthorizer OPEN = new InputAuthorizer(null, List.of(), () -> 0L);

    private final Supplier<KeySet> keys;
    private final List<String> controlSigners;
    private final LongSupplier wallClockMs;
    /** Scope → event id of the stop accepted last (for checking what a clearing names). */
    private final Map<String, String> stops = new TreeMap<>();

    /**
     * @param keys           the trusted keys (null: stops and clearings are not checked)
     * @param controlSigners key ids that may sign control events (empty: control events are not checked)
     * @param wallClockMs    for key expiry only
     */
    public InputAuthorizer(Supplier<KeySet> keys, List<String> controlSigners, LongSupplier wallClockMs) {
        if (!controlSigners.isEmpty() && keys == null) {
            throw new IllegalArgumentException("the plan lists control.signers " + controlSigners
                    + " but no key set was given to verify them (--keyset)");
        }
        this.keys = keys;
        this.controlSigners = List.copyOf(controlSigners);
        this.wallClockMs = wallClockMs;
    }

    /** Why {@code event} (decoded from {@code r}) is refused, or null when it may go to the core. */
    public String refusal(InboundRecord r, InputEvent event) {
        if (event instanceof StopEvent s && keys != null) {
            return s.clear() ? clearingRefusal(r, s) : signatureRefusal("stop", r.value(), r, null);
        }
        if (event instanceof ControlEvent c && !controlSigners.isEmpty()) {
            return signatureRefusal("control event '" + c.action() + "'", r.value(), r, controlSigners);
        }
        return null;
    }

    /** Notes an accepted event (also during recovery, where journaled records are accepted as they were). */
    public void accepted(InputEvent event) {
        if (event instanceof StopEvent s) {
            if (s.clear()) {
                stops.remove(s.scope());
            } else {
                stops.put(s.scope(), s.eventId());
            }
        }
    }

    private String clearingRefusal(InboundRecord r, StopEvent s) {
        String clears = r.clears() == null ? null : new String(r.clears(), StandardCharsets.UTF_8);
        String inForce = stops.get(s.scope());
        if (clears == null) {
            return "clearing of stop '" + s.scope() + "' not accepted: no " + SigningKey.CLEARS_HEADER + " header naming the stop it lifts";
        }
        if (!clears.equals(inForce)) {
            return "clearing of stop '" + s.scope() + "' not accepted: it lifts stop " + clears + ", but "
                    + (inForce == null ? "no stop of that scope is in force" : "the stop in force is " + inForce);
        }
        return signatureRefusal("clearing of stop '" + s.scope() + "'", SigningKey.clearingBytes(s.scope(), clears), r, null);
    }

    private String signatureRefusal(String what, byte[] signed, InboundRecord r, List<String> signers) {
        KeySet.Check check = keys.get().verify(signed, r.kid(), r.sig(), wallClockMs.getAsLong());
        if (!check.valid()) {
            return what + " not accepted: " + check.outcome().reason() + " (" + check.detail() + ")";
        }
        if (signers != null && !signers.contains(check.kid())) {
            return what + " not accepted: signed by " + check.kid() + ", not one of the plan's control.signers " + signers;
        }
        return null;
    }
}

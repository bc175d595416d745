package io.failoverdrill.schemas.sign;

import io.failoverdrill.schemas.Sha256;
import io.failoverdrill.schemas.decision.Command;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What an actuator asks before it applies a command (docs/contracts.md §7): is it signed by a trusted, unretired key,
 * and is it new? A command whose {@code command_id} was applied before with the same bytes is a redelivery (ack it
 * again with the {@link Outcome} of its first application, apply nothing); with other bytes it is {@code replayed}
 * and rejected. Without a key set every command is let through unsigned — for the simulator on a laptop, never for
 * production.
 */
public final class CommandGate {
    /**
     * The gate's answer: apply; ack a redelivery with {@code earlier} (what to ack it with); or reject with a contract
     * {@code reason} and a sentence.
     */
    public record Admission(Kind kind, String reason, String detail, Outcome earlier) {
        public enum Kind { APPLY, REDELIVERY, REJECT }

        /** The ack's {@code detail} for a rejection: {@code {"reason":…,"detail":…}}. */
        public Map<String, Object> rejection() {
            return Map.of("reason", reason, "detail", detail);
        }
    }

    /**
     * What became of a command the actuator applied: its ack's {@code status} ({@code applied} or {@code rejected}) and
     * {@code detail}. A redelivery is acked with the same status: a command the target refused is never acked
     * {@code applied} later.
     */
    public record Outcome(String status, Object detail) {
    }

    /** Why a redelivery has no outcome to repeat: its first application never reported one ({@link #settled}). */
    static final Outcome UNSETTLED = new Outcome("rejected", Map.of("reason", "unsettled",
            "detail", "redelivered before its first application ended"));

    private final Supplier<KeySet> keys;
    private final LongSupplier wallClockMs;
    /** command_id → SHA-256 of the bytes applied. */
    private final Map<String, String> applied = new HashMap<>();
    /** command_id → what its application came to (looked up when first needed: see {@link #settledLater}). */
    private final Map<String, Supplier<Outcome>> outcomes = new HashMap<>();

    /**
     * @param keys        the trusted keys, asked per command (a {@link WatchedFile} follows rotations); null: no
     *                    signatures required
     * @param wallClockMs for key expiry
     */
    public CommandGate(Supplier<KeySet> keys, LongSupplier wallClockMs) {
        this.keys = keys;
        this.wallClockMs = wallClockMs;
    }

    public boolean requiresSignatures() {
        return keys != null;
    }

    /** Admits {@code command}, decoded from {@code value}, with the headers it came with (null when absent). */
    public synchronized Admission admit(Command command, byte[] value, byte[] kidHeader, byte[] sigHeader) {
        if (keys != null) {
            KeySet.Check check = keys.get().verify(value, kidHeader, sigHeader, wallClockMs.getAsLong());
            if (!check.valid()) {
                return new Admission(Admission.Kind.REJECT, check.outcome().reason(), check.detail(), null);
            }
        }
        String digest = Sha256.hex(value);
        String before = applied.putIfAbsent(command.commandId(), digest);
        if (before == null) {
            return new Admission(Admission.Kind.APPLY, null, null, null);
        }
        if (before.equals(digest)) {
            Supplier<Outcome> first = outcomes.get(command.commandId());
            return new Admission(Admission.Kind.REDELIVERY, null, null, redelivered(first == null ? null : first.get()));
        }
        return new Admission(Admission.Kind.REJECT, "replayed", "command " + command.commandId()
                + " was applied before with other bytes", null);
    }

    /** The ack of a redelivery: an applied command is acked applied again, a refused one as refused as the first time. */
    private static Outcome redelivered(Outcome first) {
        if (first == null) {
            return UNSETTLED;
        }
        return first.status().equals("applied") ? new Outcome("applied", "already applied (redelivery)") : first;
    }

    /** Records what the application of a command {@link Admission.Kind#APPLY admitted} came to. */
    public synchronized void settled(String commandId, Outcome outcome) {
        outcomes.put(commandId, () -> outcome);
    }

    /**
     * As {@link #settled}, for a command applied before this gate existed (an earlier run of the actuator): its
     * outcome is looked up by {@code lookup} only if the command comes again, once.
     */
    public synchronized void settledLater(String commandId, Supplier<Outcome> lookup) {
        Outcome[] found = new Outcome[1];
        outcomes.put(commandId, () -> {
            if (found[0] == null) {
                found[0] = lookup.get();
            }
            return found[0];
        });
    }
}

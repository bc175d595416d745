package io.failoverdrill.actuators;

import io.failoverdrill.schemas.decision.Command;

/** What an actuator does with one verified, new command: apply it and say what it did (the ack's {@code detail}). */
@FunctionalInterface
public interface CommandHandler {
    /**
     * Applies {@code command}; returns the ack's detail (JSON-able: what was observed after applying it). Throws
     * {@link ActuatorException} to reject it with a reason; any other exception rejects it with reason {@code failed}.
     */
    Object apply(Command command);

    /**
     * Whether this actuator applies {@code command} at all; one it does not handle is left to another actuator (not
     * acked here). All, unless the actuator says otherwise.
     */
    default boolean handles(Command command) {
        return true;
    }
}

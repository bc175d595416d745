package io.failoverdrill.actuators;

/**
 * A command an actuator could not apply: acked {@code rejected} with {@code {"reason": reason, "detail": detail}}
 * (e.g. {@code http_4xx} and the response body, {@code haproxy} and HAProxy's own message).
 */
public final class ActuatorException extends RuntimeException {
    private final String reason;
    private final transient Object detail;

    public ActuatorException(String reason, Object detail) {
        super(reason + ": " + detail);
        this.reason = reason;
        this.detail = detail;
    }

    public String reason() {
        return reason;
    }

    public Object detail() {
        return detail;
    }
}

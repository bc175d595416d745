package io.failoverdrill.engine.runtime;

/**
 * The latest snapshot of a guard cannot be restored — taken under another policy, or unreadable. Restarting does
 * not help (the input before the snapshot may be gone), so a supervisor gives up instead of retrying.
 */
public final class SnapshotUnusableException extends IllegalStateException {
    public SnapshotUnusableException(String message) {
        super(message);
    }
}

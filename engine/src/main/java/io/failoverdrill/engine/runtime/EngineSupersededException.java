package io.failoverdrill.engine.runtime;

/**
 * A restarting engine found that another engine has been committing batches of its drill since it last committed:
 * it has been superseded and must not take the drill back (taking over would fence the newer engine in turn).
 */
public final class EngineSupersededException extends IllegalStateException {
    public EngineSupersededException(String message) {
        super(message);
    }
}

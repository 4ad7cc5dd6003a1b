package dev.engram.core.auth;

/** A key asked for something outside its scope: a 403 with this message as the details. */
public final class ScopeViolationException extends RuntimeException {

    public ScopeViolationException(String message) {
        super(message);
    }
}

package dev.engram.core.json;

/** An event on a topic could not be understood: a permanent failure, retrying will not help. */
public final class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}

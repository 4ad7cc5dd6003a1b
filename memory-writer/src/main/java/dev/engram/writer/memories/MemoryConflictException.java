package dev.engram.writer.memories;

/**
 * The memory exists but is in a state that does not allow the change: it is not the latest version of its chain, or
 * it is (or counts as) forgotten. Retrying the same request will not help.
 */
public final class MemoryConflictException extends RuntimeException {

    public MemoryConflictException(String message) {
        super(message);
    }
}

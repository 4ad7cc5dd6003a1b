package dev.engram.core.vectors;

/**
 * A vector store could not complete an operation. Argument problems (wrong dimension, zero vector) are reported as
 * {@link IllegalArgumentException} instead; this is for failures of the store itself.
 */
public final class VectorStoreException extends RuntimeException {

    private final boolean retriable;

    public VectorStoreException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /**
     * Whether the same call may succeed later (the store is unreachable, timed out or overloaded), as opposed to a
     * failure that will repeat (a corrupt index, a rejected request).
     */
    public boolean retriable() {
        return retriable;
    }
}

package dev.engram.core.embedding;

/** An embedding could not be made. */
public final class EmbeddingException extends RuntimeException {

    private final boolean retriable;

    public EmbeddingException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** Whether the same request may succeed later (an endpoint timeout or 5xx), as opposed to bad input. */
    public boolean retriable() {
        return retriable;
    }
}

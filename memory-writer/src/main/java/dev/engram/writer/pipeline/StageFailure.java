package dev.engram.writer.pipeline;

/**
 * A stage could not complete for one document. {@link #retriable()} failures are retried within bounds by
 * {@link Retrier}; what remains ends the document {@code failed} with {@link #reason()} and goes to the dead-letter
 * topic with the stage.
 */
public final class StageFailure extends RuntimeException {

    private final Stage stage;
    private final boolean retriable;

    public StageFailure(Stage stage, boolean retriable, String reason, Throwable cause) {
        super(reason, cause);
        this.stage = stage;
        this.retriable = retriable;
    }

    public Stage stage() {
        return stage;
    }

    public boolean retriable() {
        return retriable;
    }

    /** A reason for a person: what failed and why, without payloads. */
    public String reason() {
        return getMessage();
    }

    /** The class of the underlying exception (for the dead-letter headers). */
    public String causeClass() {
        return getCause() == null
                ? StageFailure.class.getName()
                : getCause().getClass().getName();
    }
}

package dev.engram.memory.extract;

import java.util.Objects;

/**
 * Extraction could not be done. Never stands for "nothing to extract": that is an empty {@link ExtractionResult}.
 *
 * <p>{@link #retriable()} tells the caller whether the same request may succeed later (the endpoint timed out, was
 * rate limited or failed) or will fail again (bad credentials, a model that keeps answering malformed JSON); the
 * {@link #reason()} names what failed, for dead letters and metrics. Messages carry ids, counts and statuses, never
 * source or memory text.
 */
public final class ExtractionFailedException extends Exception {

    /** What failed. */
    public enum Reason {
        /** The endpoint could not be reached or the connection broke. Retriable. */
        TRANSPORT(true),
        /** The endpoint did not answer in time. Retriable. */
        TIMEOUT(true),
        /** The endpoint answered 429. Retriable. */
        RATE_LIMITED(true),
        /** The endpoint answered 408 or 5xx. Retriable. */
        SERVER_ERROR(true),
        /** The endpoint refused the request: 400, 401, 403, 404 and other 4xx. Not retriable. */
        REJECTED(false),
        /** The model's answer could not be read as the expected JSON, even after asking again. Not retriable. */
        MALFORMED_ANSWER(false),
        /** The result names a known memory or a turn the request does not have, or is otherwise inconsistent. */
        INVALID_RESULT(false),
        /** The thread was interrupted while waiting. Retriable. */
        INTERRUPTED(true);

        private final boolean retriable;

        Reason(boolean retriable) {
            this.retriable = retriable;
        }

        /** Whether failures for this reason are retriable by default. */
        public boolean retriable() {
            return retriable;
        }
    }

    private final Reason reason;
    private final boolean retriable;

    /** A failure for {@code reason}, retriable as the reason says. */
    public ExtractionFailedException(Reason reason, String message, Throwable cause) {
        this(reason, Objects.requireNonNull(reason, "reason").retriable(), message, cause);
    }

    /** A failure for {@code reason} whose retriability is decided by the caller. */
    public ExtractionFailedException(Reason reason, boolean retriable, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retriable = retriable;
    }

    /** What failed. */
    public Reason reason() {
        return reason;
    }

    /** Whether the same request may succeed later. */
    public boolean retriable() {
        return retriable;
    }
}

package dev.engram.writer.extraction;

import java.util.Objects;

/**
 * No usable text could be extracted from a document. Always permanent: the cause is the input itself, so retrying the
 * same bytes gives the same result. The message says why in words a user can act on.
 */
public final class ExtractionException extends RuntimeException {

    /** Why extraction failed. */
    public enum Kind {
        /** The detected format is not one Engram extracts text from (images, audio, archives, executables...). */
        UNSUPPORTED_TYPE,
        /** The document is password-protected. */
        ENCRYPTED,
        /** The document is damaged or not what its format claims. */
        CORRUPT,
        /** The document holds no text (empty, or only images). */
        EMPTY,
        /** Parsing took longer than the configured limit. */
        TIMEOUT
    }

    private final Kind kind;

    ExtractionException(Kind kind, String message) {
        this(kind, message, null);
    }

    ExtractionException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Why extraction failed. */
    public Kind kind() {
        return kind;
    }
}

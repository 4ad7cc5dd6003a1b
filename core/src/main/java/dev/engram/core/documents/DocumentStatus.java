package dev.engram.core.documents;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a document is in the pipeline, in pipeline order. The wire form is the lower-case name, exactly the values
 * of the Supermemory API's {@code status} field.
 */
public enum DocumentStatus {
    QUEUED,
    EXTRACTING,
    CHUNKING,
    EMBEDDING,
    INDEXING,
    DONE,
    FAILED;

    /** The wire form, e.g. {@code "queued"}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire form.
     *
     * @throws IllegalArgumentException if {@code value} is not a status
     */
    @JsonCreator
    public static DocumentStatus fromWire(String value) {
        for (DocumentStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown document status: " + value);
    }

    /** {@code true} for {@link #DONE} and {@link #FAILED}: nothing follows them within a revision. */
    public boolean isTerminal() {
        return this == DONE || this == FAILED;
    }

    /**
     * Whether a document in this status may move to {@code next} within the same revision: only forward, and
     * never out of a terminal status. {@link #FAILED} may follow any non-terminal status.
     */
    public boolean canAdvanceTo(DocumentStatus next) {
        return !isTerminal() && next.ordinal() > ordinal();
    }
}

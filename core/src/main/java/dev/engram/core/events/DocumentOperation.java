package dev.engram.core.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a {@link DocumentEvent} asks memory-writer to do. */
public enum DocumentOperation {
    /** Process (or reprocess) this revision: extract, chunk, embed, index. */
    UPSERT,
    /** Only the metadata changed: update it on the stored chunks and vectors, no re-embedding. */
    METADATA,
    /** The document is gone: drop its chunks, vectors and anything in flight. */
    DELETE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DocumentOperation fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

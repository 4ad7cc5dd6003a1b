package dev.engram.writer.memories;

import java.util.Objects;

/**
 * Where a memory was observed.
 *
 * @param documentId the document (or conversation document) it came from
 * @param sourceRef where inside it, e.g. a turn or chunk reference, or {@code null}
 */
public record MemorySource(String documentId, String sourceRef) {

    public MemorySource {
        Objects.requireNonNull(documentId, "documentId");
    }

    /** A source document with no finer reference. */
    public static MemorySource document(String documentId) {
        return new MemorySource(documentId, null);
    }
}

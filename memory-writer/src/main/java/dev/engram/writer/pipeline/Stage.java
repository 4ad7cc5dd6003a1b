package dev.engram.writer.pipeline;

import dev.engram.core.documents.DocumentStatus;

/** Where in memory-writer a document event is being handled; named in failures and dead-letter headers. */
public enum Stage {
    /** Reading the event itself. */
    PARSING(null),
    /** Turning content (text, a fetched URL, a file) into clean text. */
    EXTRACTING(DocumentStatus.EXTRACTING),
    /** Cutting the text into token-sized chunks. */
    CHUNKING(DocumentStatus.CHUNKING),
    /** Embedding the chunks. */
    EMBEDDING(DocumentStatus.EMBEDDING),
    /** Storing chunks and vectors and committing the index. */
    INDEXING(DocumentStatus.INDEXING),
    /** Applying a metadata-only change. */
    UPDATING_METADATA(null),
    /** Removing a deleted document's chunks and vectors. */
    DELETING(null),
    /** Extracting memories from an indexed document or conversation (after it is {@code done}). */
    EXTRACTING_MEMORIES(null),
    /**
     * None in particular: the pipeline failed a whole batch outside its stages (a bug; each document's own failures
     * are dead-lettered with their stage), and the document consumer's backstop dead-lettered every event of it.
     */
    PIPELINE(null);

    private final DocumentStatus status;

    Stage(DocumentStatus status) {
        this.status = status;
    }

    /** The stage's name as it appears in status events and dead-letter headers, e.g. {@code extracting}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The document status reported when the stage starts, or {@code null} for stages that report none. */
    public DocumentStatus status() {
        return status;
    }
}

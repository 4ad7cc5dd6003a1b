package dev.engram.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something happened to a document that memory-writer must act on; published to
 * {@link dev.engram.core.kafka.Topics#DOCUMENTS}, keyed by container tag so one document's events stay in order.
 *
 * <p>Producers outside Engram may publish {@link DocumentOperation#UPSERT} events too: a document id that
 * ingest-service does not know yet is created from the event.
 *
 * @param eventId unique event id
 * @param occurredAt when the change was accepted
 * @param schemaVersion {@link #SCHEMA_VERSION} for events written by this code
 * @param containerTag the document's container tag (partition key)
 * @param orgId owning organisation
 * @param documentId the document's id, as returned by {@code POST /v3/documents}
 * @param revision increases by one every time the content changes; status events name the revision they describe,
 *     so a late status of an older revision never overwrites a newer one
 * @param customId the caller's id for the document, or {@code null}
 * @param content the content to process (plain text or a URL) for {@code text}/{@code url} sources; {@code null}
 *     for files (their bytes are stored by ingest-service) and for deletes
 * @param metadata flat metadata (string, number, boolean or string-list values), never {@code null}
 * @param operation what to do; {@code null} in events written before the field existed means {@code UPSERT}
 * @param source where the content is: {@code text}, {@code url} or {@code file}; {@code null} means detect from
 *     {@code content}
 * @param contentType the declared content type of a file, or {@code null}
 * @param filename the uploaded file's name, or {@code null}
 * @param filepath the caller's file path for the document, or {@code null}
 * @param taskType {@code memory} (default) or {@code superrag}
 * @param entityContext the container tag's entity context that guides memory extraction, or {@code null}
 * @param origin who made the document: {@code null} for documents added through the API or by producers, and
 *     {@link #ORIGIN_MEMORIES} for the light source document that records memories created directly through
 *     {@code POST /v4/memories} (memory-writer indexes its text but extracts no memories from it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DocumentEvent(
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        String containerTag,
        String orgId,
        String documentId,
        long revision,
        String customId,
        String content,
        Map<String, Object> metadata,
        DocumentOperation operation,
        String source,
        String contentType,
        String filename,
        String filepath,
        String taskType,
        String entityContext,
        String origin)
        implements EngramEvent {

    /** Schema version written by this code. */
    public static final int SCHEMA_VERSION = 1;

    /** {@link #origin()} of a document that records memories created directly. */
    public static final String ORIGIN_MEMORIES = "memories";

    public DocumentEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(containerTag, "containerTag");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(documentId, "documentId");
        operation = operation == null ? DocumentOperation.UPSERT : operation;
        if (operation == DocumentOperation.UPSERT && content == null && !"file".equals(source)) {
            throw new IllegalArgumentException("an upsert needs content unless its source is a file");
        }
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** An upsert of text or URL content, with no file or extra fields. */
    public static DocumentEvent upsert(
            String eventId,
            Instant occurredAt,
            String containerTag,
            String orgId,
            String documentId,
            long revision,
            String customId,
            String content,
            Map<String, Object> metadata) {
        return new DocumentEvent(
                eventId,
                occurredAt,
                SCHEMA_VERSION,
                containerTag,
                orgId,
                documentId,
                revision,
                customId,
                content,
                metadata,
                DocumentOperation.UPSERT,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** Whether memories must not be extracted from this document because they were created directly. */
    public boolean recordsDirectMemories() {
        return ORIGIN_MEMORIES.equals(origin);
    }
}

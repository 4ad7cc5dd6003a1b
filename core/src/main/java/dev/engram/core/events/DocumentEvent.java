package dev.engram.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A document was added or its content changed and must be (re)processed; published to
 * {@link dev.engram.core.kafka.Topics#DOCUMENTS}.
 *
 * @param eventId unique event id
 * @param occurredAt when the document was accepted
 * @param schemaVersion {@link #SCHEMA_VERSION} for events written by this code
 * @param containerTag the document's container tag (partition key)
 * @param orgId owning organisation
 * @param documentId the document's id, as returned by {@code POST /v3/documents}
 * @param revision increases by one every time the content changes; status events name the revision they describe,
 *     so a late status of an older revision never overwrites a newer one
 * @param customId the caller's id for the document, or {@code null}
 * @param content the content to process: plain text or a URL
 * @param metadata flat metadata (string, number, boolean or string-list values), never {@code null}
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
        Map<String, Object> metadata)
        implements EngramEvent {

    /** Schema version written by this code. */
    public static final int SCHEMA_VERSION = 1;

    public DocumentEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(containerTag, "containerTag");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(content, "content");
        metadata = metadata == null ? Map.of() : metadata;
    }
}

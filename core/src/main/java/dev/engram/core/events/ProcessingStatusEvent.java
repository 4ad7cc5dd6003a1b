package dev.engram.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.core.documents.DocumentStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * The processing of one revision of a document reached a new status; published by memory-writer to
 * {@link dev.engram.core.kafka.Topics#PROCESSING_STATUS} and applied by ingest-service to the document.
 *
 * @param eventId unique event id
 * @param occurredAt when the status was reached
 * @param schemaVersion {@link #SCHEMA_VERSION} for events written by this code
 * @param containerTag the document's container tag (partition key)
 * @param orgId owning organisation
 * @param documentId the document
 * @param revision the revision of the document this status describes
 * @param status the status reached
 * @param reason why it failed, readable by a person; {@code null} unless {@code status} is {@code failed}
 * @param title the title found during extraction, or {@code null}
 * @param type the document type found during extraction ({@code text}, {@code pdf}, {@code webpage}, ...), or
 *     {@code null}
 * @param chunkCount number of chunks indexed; set with {@code done}
 * @param failedStage the pipeline stage that failed; set with {@code failed}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessingStatusEvent(
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        String containerTag,
        String orgId,
        String documentId,
        long revision,
        DocumentStatus status,
        String reason,
        String title,
        String type,
        Integer chunkCount,
        String failedStage)
        implements EngramEvent {

    /** Schema version written by this code. */
    public static final int SCHEMA_VERSION = 1;

    public ProcessingStatusEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(containerTag, "containerTag");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(status, "status");
    }

    /** A status change with no extraction results. */
    public static ProcessingStatusEvent of(
            String eventId,
            Instant occurredAt,
            String containerTag,
            String orgId,
            String documentId,
            long revision,
            DocumentStatus status,
            String reason) {
        return new ProcessingStatusEvent(
                eventId,
                occurredAt,
                SCHEMA_VERSION,
                containerTag,
                orgId,
                documentId,
                revision,
                status,
                reason,
                null,
                null,
                null,
                null);
    }
}

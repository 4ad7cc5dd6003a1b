package dev.engram.ingest.documents;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.ingest.persistence.DocumentEntity;
import java.time.Instant;
import java.util.UUID;

/** Builds the {@link DocumentEvent} that announces a change to a stored document. */
final class DocumentEvents {

    private DocumentEvents() {}

    static DocumentEvent of(DocumentEntity row, DocumentOperation operation, String entityContext, Instant now) {
        return new DocumentEvent(
                UUID.randomUUID().toString(),
                now,
                DocumentEvent.SCHEMA_VERSION,
                row.containerTag,
                row.orgId,
                row.id,
                row.revision,
                row.customId,
                operation == DocumentOperation.UPSERT ? row.content : null,
                row.metadata,
                operation,
                row.source,
                row.contentType,
                row.filename,
                row.filepath,
                row.taskType,
                entityContext,
                row.origin);
    }
}

package dev.engram.ingest.documents;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.DocumentKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Applies a status event from memory-writer to its document. Idempotent and order-tolerant: an event for another
 * revision, a step backwards, or a repeat changes nothing.
 */
@ApplicationScoped
public class ApplyProcessingStatus {

    private static final Logger LOG = Logger.getLogger(ApplyProcessingStatus.class);

    @Inject
    ExternalDocuments externalDocuments;

    /** Must run inside a transaction. */
    public Uni<Boolean> apply(ProcessingStatusEvent event) {
        return DocumentEntity.<DocumentEntity>findById(new DocumentKey(event.orgId(), event.documentId()))
                .flatMap(
                        found -> found != null ? Uni.createFrom().item(found) : externalDocuments.placeholderFor(event))
                .map(document -> {
                    if (document == null) {
                        LOG.debugf(
                                "status %s for a deleted document",
                                event.status().wireName());
                        return false;
                    }
                    if (document.revision != event.revision()) {
                        return false;
                    }
                    DocumentStatus current = DocumentStatus.fromWire(document.status);
                    if (!current.canAdvanceTo(event.status())) {
                        return false;
                    }
                    document.status = event.status().wireName();
                    document.statusReason = event.reason();
                    if (event.title() != null) {
                        document.title = event.title();
                    }
                    if (event.type() != null) {
                        document.type = event.type();
                    }
                    if (event.chunkCount() != null) {
                        document.chunkCount = event.chunkCount();
                    }
                    document.updatedAt = event.occurredAt().atOffset(ZoneOffset.UTC);
                    return true;
                });
    }
}

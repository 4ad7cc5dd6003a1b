package dev.engram.ingest.documents;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.ingest.conversations.ConversationDocuments;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.DocumentKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Applies a status event from memory-writer to its document. Idempotent and order-tolerant: an event for another
 * revision, a step backwards, or a repeat changes nothing, except that a conversation moves on to a newer revision
 * reported before its conversation event arrived (see {@code ExternalConversations}).
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
                        if (!reportsNewerConversation(document, event)) {
                            return false;
                        }
                        // The router publishes conversations straight to Kafka: memory-writer may report on a new
                        // revision before this service read its event. Move on to it; the event fills the content in.
                        document.revision = event.revision();
                        document.conversationHash = null;
                        document.status = DocumentStatus.QUEUED.wireName();
                        document.statusReason = null;
                        document.chunkCount = null;
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

    private static boolean reportsNewerConversation(DocumentEntity document, ProcessingStatusEvent event) {
        return event.revision() > document.revision && ConversationDocuments.isConversation(document);
    }
}

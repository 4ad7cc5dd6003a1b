package dev.engram.ingest.messaging;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.json.EventJson;
import dev.engram.ingest.documents.ExternalDocuments;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code engram.documents.v1} so that documents other producers publish there appear in the API (see
 * {@link ExternalDocuments}). Unreadable events are memory-writer's to dead-letter; here they are skipped.
 */
@ApplicationScoped
public class DocumentEventConsumer {

    @Inject
    ExternalDocuments externalDocuments;

    @Incoming(Channels.DOCUMENTS)
    @WithTransaction
    public Uni<Void> consume(String payload) {
        DocumentEvent event;
        try {
            event = EventJson.read(payload, DocumentEvent.class);
        } catch (RuntimeException e) {
            return Uni.createFrom().voidItem();
        }
        return externalDocuments.onDocumentEvent(event);
    }
}

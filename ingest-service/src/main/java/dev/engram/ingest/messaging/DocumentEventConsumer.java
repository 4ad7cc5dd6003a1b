package dev.engram.ingest.messaging;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.json.EventJson;
import dev.engram.ingest.documents.ExternalDocuments;
import dev.engram.ingest.persistence.DocumentKey;
import dev.engram.ingest.persistence.DocumentRows;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code engram.documents.v1} so that documents other producers publish there appear in the API (see
 * {@link ExternalDocuments}). Unreadable events are memory-writer's to dead-letter; here they are skipped.
 */
@ApplicationScoped
public class DocumentEventConsumer {

    @Inject
    ExternalDocuments externalDocuments;

    /** A polled batch in one transaction: most events are this service's own, read in one query for the batch. */
    @Incoming(Channels.DOCUMENTS)
    @WithTransaction
    public Uni<Void> consume(List<String> payloads) {
        List<DocumentEvent> events = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            try {
                events.add(EventJson.read(payload, DocumentEvent.class));
            } catch (RuntimeException e) {
                // memory-writer dead-letters it; nothing to create here
            }
        }
        List<DocumentKey> keys = events.stream()
                .map(event -> new DocumentKey(event.orgId(), event.documentId()))
                .toList();
        return DocumentRows.preload(keys)
                .onItem()
                .transformToMulti(v -> Multi.createFrom().iterable(events))
                .onItem()
                .transformToUniAndConcatenate(externalDocuments::onDocumentEvent)
                .collect()
                .last()
                .replaceWithVoid();
    }
}

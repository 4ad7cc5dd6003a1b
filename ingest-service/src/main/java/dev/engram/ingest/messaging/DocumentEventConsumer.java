package dev.engram.ingest.messaging;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.documents.ExternalDocuments;
import dev.engram.ingest.persistence.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
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

    /** Metric name of the events skipped because PostgreSQL refused them ({@code {topic}}). */
    public static final String SKIPPED_METRIC = "engram.ingest.events.skipped";

    @Inject
    ExternalDocuments externalDocuments;

    @Inject
    MeterRegistry registry;

    /**
     * A polled batch in one transaction (see {@link ExternalDocuments#onDocumentEvents}), run again when a concurrent
     * one got in its way ({@link Transactions}) and while PostgreSQL is unreachable ({@link DatabaseOutage}); if
     * PostgreSQL refuses it, one event at a time, skipping an event it refuses on its own.
     */
    @Incoming(Channels.DOCUMENTS)
    public Uni<Void> consume(List<String> payloads) {
        List<DocumentEvent> events = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            try {
                events.add(EventJson.read(payload, DocumentEvent.class));
            } catch (RuntimeException e) {
                // memory-writer dead-letters it; nothing to create here
            }
        }
        return DatabaseOutage.outlastingEachRefusal(
                events,
                externalDocuments::onDocumentEvents,
                event -> externalDocuments.onDocumentEvents(List.of(event)),
                event -> "document event " + event.eventId() + " of document " + event.documentId(),
                () -> registry.counter(SKIPPED_METRIC, "topic", Topics.DOCUMENTS)
                        .increment());
    }
}

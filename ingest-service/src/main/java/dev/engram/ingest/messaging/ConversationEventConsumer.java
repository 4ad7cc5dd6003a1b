package dev.engram.ingest.messaging;

import dev.engram.core.events.ConversationEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.conversations.ExternalConversations;
import dev.engram.ingest.persistence.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code engram.conversations.v1} so that conversations the router publishes there appear in the API (see
 * {@link ExternalConversations}). Unreadable events are memory-writer's to dead-letter; here they are skipped.
 */
@ApplicationScoped
public class ConversationEventConsumer {

    @Inject
    ExternalConversations externalConversations;

    @Inject
    MeterRegistry registry;

    /**
     * A polled batch in one transaction: most events are this service's own and cost one primary-key read. Run again
     * when a concurrent transaction got in its way ({@link Transactions}) and while PostgreSQL is unreachable
     * ({@link DatabaseOutage}); if PostgreSQL refuses it, one event at a time, skipping an event it refuses on its own.
     */
    @Incoming(Channels.CONVERSATIONS)
    public Uni<Void> consume(List<String> payloads) {
        List<ConversationEvent> events = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            try {
                events.add(EventJson.read(payload, ConversationEvent.class));
            } catch (RuntimeException e) {
                // memory-writer dead-letters it; nothing to store here
            }
        }
        return DatabaseOutage.outlastingEachRefusal(
                events,
                all -> Multi.createFrom()
                        .iterable(all)
                        .onItem()
                        .transformToUniAndConcatenate(externalConversations::onConversationEvent)
                        .collect()
                        .last()
                        .replaceWithVoid(),
                externalConversations::onConversationEvent,
                event -> "conversation event " + event.eventId() + " of document " + event.documentId(),
                () -> registry.counter(DocumentEventConsumer.SKIPPED_METRIC, "topic", Topics.CONVERSATIONS)
                        .increment());
    }
}

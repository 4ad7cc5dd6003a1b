package dev.engram.ingest.messaging;

import dev.engram.core.events.ConversationEvent;
import dev.engram.core.json.EventJson;
import dev.engram.ingest.conversations.ExternalConversations;
import dev.engram.ingest.persistence.Transactions;
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

    /**
     * A polled batch in one transaction: most events are this service's own and cost one primary-key read. Run again
     * when a concurrent transaction got in its way ({@link Transactions}) and while PostgreSQL is unreachable
     * ({@link DatabaseOutage}): any other failure here stops the channel.
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
        return DatabaseOutage.outlasting(() -> Multi.createFrom()
                .iterable(events)
                .onItem()
                .transformToUniAndConcatenate(externalConversations::onConversationEvent)
                .collect()
                .last()
                .replaceWithVoid());
    }
}

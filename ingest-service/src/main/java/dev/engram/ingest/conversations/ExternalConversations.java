package dev.engram.ingest.conversations;

import dev.engram.core.events.ConversationEvent;
import dev.engram.ingest.documents.ContainerTagContexts;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.DocumentKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Conversations that other producers (the memory router) publish straight to {@code engram.conversations.v1}: they
 * appear in the API as documents like those of {@code POST /v4/conversations}.
 *
 * <p>The newest revision wins. An event of a revision the row already has is this service's own (or a redelivery)
 * and changes nothing, with one exception: a row that memory-writer's status created or moved to this revision before
 * the event was read here has no content for it yet, and the event fills it in without touching the status. A
 * deleted conversation comes back only with a revision newer than the one deleted, as memory-writer decides too.
 *
 * <p>The conversation id becomes the document's customId unless another document of the organisation already uses it
 * (say, a conversation of the same id under another container tag); the document is then reachable by id only.
 */
@ApplicationScoped
public class ExternalConversations {

    private static final Logger LOG = Logger.getLogger(ExternalConversations.class);

    @Inject
    ContainerTagContexts tagContexts;

    /** Applies a conversation event read from the topic; must run inside a transaction. */
    public Uni<Void> onConversationEvent(ConversationEvent event) {
        if (event.messages().isEmpty()) {
            return Uni.createFrom().voidItem(); // memory-writer dead-letters it
        }
        return DocumentEntity.<DocumentEntity>findById(new DocumentKey(event.orgId(), event.documentId()))
                .flatMap(row -> apply(event, row))
                .flatMap(changed -> changed
                        ? tagContexts.remember(event.orgId(), event.containerTag(), event.entityContext())
                        : Uni.createFrom().voidItem());
    }

    /** Whether the event changed the stored conversation. */
    private Uni<Boolean> apply(ConversationEvent event, DocumentEntity row) {
        if (row == null) {
            return create(event);
        }
        if (event.revision() > row.revision) {
            return customId(event).map(customId -> {
                ConversationDocuments.fill(row, event, customId);
                ConversationDocuments.requeue(row, event.revision(), at(event));
                return true;
            });
        }
        if (event.revision() == row.revision
                && row.conversationHash == null
                && (row.content == null || ConversationDocuments.isConversation(row))) {
            return customId(event).map(customId -> {
                ConversationDocuments.fill(row, event, customId);
                return true;
            });
        }
        return Uni.createFrom().item(false);
    }

    private Uni<Boolean> create(ConversationEvent event) {
        return ConversationDocuments.deletedRevision(event.orgId(), event.documentId())
                .flatMap(deleted -> {
                    if (deleted >= event.revision()) {
                        return Uni.createFrom().item(false); // deleted after this revision: never revived by it
                    }
                    return customId(event).flatMap(customId -> {
                        DocumentEntity row = ConversationDocuments.newRow(event.orgId(), event.documentId(), at(event));
                        ConversationDocuments.fill(row, event, customId);
                        ConversationDocuments.requeue(row, event.revision(), at(event));
                        return row.persist()
                                .flatMap(v -> ConversationDocuments.forgetDeletion(event.orgId(), event.documentId()))
                                .replaceWith(true);
                    });
                });
    }

    /** The conversation id if no other document uses it as customId, else {@code null}. */
    private static Uni<String> customId(ConversationEvent event) {
        return ConversationDocuments.customIdTaken(event.orgId(), event.conversationId(), event.documentId())
                .map(taken -> {
                    if (taken) {
                        LOG.warnf(
                                "conversation document %s stored without customId: another document uses %s",
                                event.documentId(), event.conversationId());
                        return null;
                    }
                    return event.conversationId();
                });
    }

    private static OffsetDateTime at(ConversationEvent event) {
        return event.occurredAt().atOffset(ZoneOffset.UTC);
    }
}

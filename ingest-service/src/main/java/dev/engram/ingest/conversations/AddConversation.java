package dev.engram.ingest.conversations;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.api.ConflictException;
import dev.engram.ingest.documents.ContainerTagContexts;
import dev.engram.ingest.outbox.OutboxWriter;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.DocumentKey;
import dev.engram.ingest.persistence.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * Stores a conversation ({@code POST /v4/conversations}) as the document {@link DocumentIds#forConversation} names,
 * with the conversation id as its customId, and, in the same transaction, the {@link ConversationEvent} that asks
 * memory-writer to index the transcript and extract memories from the turns it has not seen.
 *
 * <p>Each change of the messages or metadata is a new revision, {@code queued}, and one event carrying every message
 * (memory-writer tells new turns from a rewritten history). The same conversation sent again changes nothing and
 * publishes nothing, unless its processing had failed: then it is processed again.
 */
@ApplicationScoped
public class AddConversation {

    @Inject
    OutboxWriter outbox;

    @Inject
    ContainerTagContexts tagContexts;

    @Inject
    Clock clock;

    /**
     * @return the document's id and status, and whether this call changed it
     * @throws ConflictException (as the failure) if another document already uses the conversation id as customId
     */
    public Uni<Stored> add(NewConversation conversation) {
        String id = DocumentIds.forConversation(
                conversation.orgId(), conversation.containerTag(), conversation.conversationId());
        String hash = ConversationHash.of(conversation.messages(), conversation.metadata());
        Map<String, String> trace = outbox.traceHeaders();
        return Transactions.retryingConflicts(() -> DocumentEntity.<DocumentEntity>findById(
                                new DocumentKey(conversation.orgId(), id))
                        .flatMap(row -> upsert(conversation, id, hash, row, trace))
                        .call(stored -> tagContexts.remember(
                                conversation.orgId(), conversation.containerTag(), conversation.entityContext())))
                // Two first sends of one conversation racing: the loser runs again and finds the winner's row.
                .invoke(stored -> {
                    if (stored.changed()) {
                        outbox.committed();
                    }
                });
    }

    private Uni<Stored> upsert(
            NewConversation conversation, String id, String hash, DocumentEntity row, Map<String, String> trace) {
        if (row != null
                && ConversationDocuments.isConversation(row)
                && hash.equals(row.conversationHash)
                && !DocumentStatus.FAILED.wireName().equals(row.status)) {
            return Uni.createFrom().item(new Stored(id, DocumentStatus.fromWire(row.status), false));
        }
        String orgId = conversation.orgId();
        return ConversationDocuments.customIdTaken(orgId, conversation.conversationId(), id)
                .flatMap(taken -> {
                    if (taken) {
                        throw new ConflictException(
                                "conversationId",
                                "'" + conversation.conversationId() + "' is already the customId of another document");
                    }
                    return row != null
                            ? Uni.createFrom().item(row.revision + 1)
                            : ConversationDocuments.deletedRevision(orgId, id).map(deleted -> deleted + 1);
                })
                .flatMap(revision -> {
                    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
                    ConversationEvent event = event(conversation, id, revision, now);
                    DocumentEntity target = row != null ? row : ConversationDocuments.newRow(orgId, id, now);
                    ConversationDocuments.fill(target, event, conversation.conversationId());
                    ConversationDocuments.requeue(target, revision, now);
                    Uni<Void> saved = row != null
                            ? Uni.createFrom().voidItem()
                            : target.persist().flatMap(v -> ConversationDocuments.forgetDeletion(orgId, id));
                    return saved.flatMap(v -> outbox.append(Topics.CONVERSATIONS, event, trace))
                            .replaceWith(new Stored(id, DocumentStatus.QUEUED, true));
                });
    }

    private static ConversationEvent event(NewConversation conversation, String id, long revision, OffsetDateTime now) {
        return new ConversationEvent(
                UUID.randomUUID().toString(),
                now.toInstant(),
                ConversationEvent.SCHEMA_VERSION,
                conversation.containerTag(),
                conversation.orgId(),
                conversation.conversationId(),
                id,
                revision,
                conversation.messages(),
                conversation.metadata(),
                conversation.entityContext(),
                "api");
    }

    /**
     * @param id the conversation's document id
     * @param status the document's status after the call
     * @param changed whether the call stored a new revision (and published an event)
     */
    public record Stored(String id, DocumentStatus status, boolean changed) {}
}

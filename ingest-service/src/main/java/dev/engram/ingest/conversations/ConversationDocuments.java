package dev.engram.ingest.conversations;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.ConversationTranscript;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.StoredTurns;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * The document row that stores a conversation, shared by the API ({@link AddConversation}) and the events other
 * producers publish ({@link ExternalConversations}). Everything here needs an open transaction.
 */
public final class ConversationDocuments {

    /** {@code documents.source} of a conversation: its content is the transcript. */
    public static final String SOURCE = "conversation";

    private ConversationDocuments() {}

    /** Whether the row stores a conversation. */
    public static boolean isConversation(DocumentEntity row) {
        return SOURCE.equals(row.source);
    }

    /** A new row for the conversation, not yet filled in or persisted. */
    static DocumentEntity newRow(String orgId, String id, OffsetDateTime now) {
        DocumentEntity row = new DocumentEntity();
        row.orgId = orgId;
        row.id = id;
        row.metadata = Map.of();
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    /**
     * Puts the conversation's state into the row: the transcript ({@link ConversationTranscript}) as content, the
     * turns themselves (for {@link FindConversation}), its metadata and hash. Status and revision are left alone.
     */
    static void fill(DocumentEntity row, ConversationEvent event, String customId) {
        row.containerTag = event.containerTag();
        row.customId = customId;
        row.content = ConversationTranscript.render(event.messages());
        row.turns = new StoredTurns(event.messages());
        row.metadata = event.metadata();
        row.source = SOURCE;
        row.type = "text";
        row.taskType = "memory";
        row.contentType = null;
        row.filename = null;
        row.filepath = null;
        row.origin = null;
        row.conversationHash = ConversationHash.of(event.messages(), event.metadata());
    }

    /** Makes the row the given revision, {@code queued} for processing. */
    static void requeue(DocumentEntity row, long revision, OffsetDateTime now) {
        row.revision = revision;
        row.status = DocumentStatus.QUEUED.wireName();
        row.statusReason = null;
        row.chunkCount = null;
        row.updatedAt = now;
    }

    /** Whether another document of the organisation already uses {@code customId}. */
    static Uni<Boolean> customIdTaken(String orgId, String customId, String id) {
        return DocumentEntity.count("orgId = ?1 and customId = ?2 and id <> ?3", orgId, customId, id)
                .map(count -> count > 0);
    }

    /** The revision the document had when it was deleted, or {@code 0} if it never was. */
    static Uni<Long> deletedRevision(String orgId, String id) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select coalesce(max(revision), 0) from ingest.document_tombstones"
                                        + " where org_id = ?1 and id = ?2",
                                Long.class)
                        .setParameter(1, orgId)
                        .setParameter(2, id)
                        .getSingleResult());
    }

    /** Removes the tombstone of a deleted conversation that exists again. */
    static Uni<Void> forgetDeletion(String orgId, String id) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "delete from ingest.document_tombstones where org_id = ?1 and id = ?2")
                        .setParameter(1, orgId)
                        .setParameter(2, id)
                        .executeUpdate())
                .replaceWithVoid();
    }
}

package dev.engram.ingest.conversations;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.events.ConversationMessage;
import dev.engram.ingest.api.ResourceNotFoundException;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.DocumentKey;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Reads a stored conversation's turns ({@code GET /v4/conversations/{conversationId}}), for the memory router to
 * backfill the earlier turns of a client that sends only the new one. The document id is derived from the
 * organisation, container tag and conversation id ({@link DocumentIds#forConversation}), so the lookup is one read by
 * primary key.
 */
@ApplicationScoped
public class FindConversation {

    /**
     * The conversation's turns, oldest first, as of its latest stored revision.
     *
     * @throws ResourceNotFoundException (as the failure) when the organisation has no such conversation under the
     *     container tag, or has it without stored turns (a conversation stored before turns were kept, or one whose
     *     content has not been read yet)
     */
    @WithSession
    public Uni<List<ConversationMessage>> turns(String orgId, String containerTag, String conversationId) {
        String id = DocumentIds.forConversation(orgId, containerTag, conversationId);
        return DocumentEntity.<DocumentEntity>findById(new DocumentKey(orgId, id))
                .map(row -> {
                    if (row == null
                            || !ConversationDocuments.isConversation(row)
                            || !containerTag.equals(row.containerTag)
                            || row.turns == null) {
                        throw new ResourceNotFoundException("No conversation '" + conversationId
                                + "' with stored turns in container tag '" + containerTag + "'");
                    }
                    return row.turns.messages();
                });
    }
}

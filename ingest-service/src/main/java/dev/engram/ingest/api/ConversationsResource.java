package dev.engram.ingest.api;

import dev.engram.core.tenancy.Orgs;
import dev.engram.ingest.conversations.AddConversation;
import dev.engram.ingest.conversations.ConversationRequestValidator;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /v4/conversations}: conversation ingestion. A conversation is stored as a document (source {@code
 * conversation}, its transcript as content) that the document endpoints show, list and delete like any other.
 */
@Path("/v4/conversations")
@Produces(MediaType.APPLICATION_JSON)
public class ConversationsResource {

    @Inject
    AddConversation addConversation;

    /**
     * Stores the conversation's current state and queues it for processing; send every message each time. Answers
     * 200 whether it was new, changed or unchanged (then nothing is reprocessed).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AddConversationResponse> add(AddConversationRequest request) {
        var conversation = ConversationRequestValidator.validate(request, Orgs.DEFAULT);
        return addConversation
                .add(conversation)
                .map(stored -> new AddConversationResponse(
                        stored.id(),
                        conversation.conversationId(),
                        stored.status().wireName()));
    }
}

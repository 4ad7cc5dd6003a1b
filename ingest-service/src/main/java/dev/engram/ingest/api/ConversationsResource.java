package dev.engram.ingest.api;

import dev.engram.ingest.auth.RequestCaller;
import dev.engram.ingest.conversations.AddConversation;
import dev.engram.ingest.conversations.ConversationRequestValidator;
import dev.engram.ingest.conversations.FindConversation;
import dev.engram.ingest.documents.DocumentRequestValidator;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /v4/conversations}: conversation ingestion. A conversation is stored as a document (source {@code
 * conversation}, its transcript as content) that the document endpoints show, list and delete like any other, and
 * whose turns {@code GET} reads back (an Engram extension: the memory router backfills earlier turns from it).
 */
@Path("/v4/conversations")
@Produces(MediaType.APPLICATION_JSON)
public class ConversationsResource {

    @Inject
    AddConversation addConversation;

    @Inject
    FindConversation findConversation;

    @Inject
    RequestCaller requestCaller;

    /**
     * Stores the conversation's current state and queues it for processing; send every message each time. Answers
     * 200 whether it was new, changed or unchanged (then nothing is reprocessed).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AddConversationResponse> add(AddConversationRequest request) {
        var conversation = ConversationRequestValidator.validate(
                TagScope.conversation(requestCaller.get(), request), requestCaller.orgId());
        return addConversation
                .add(conversation)
                .map(stored -> new AddConversationResponse(
                        stored.id(),
                        conversation.conversationId(),
                        stored.status().wireName()));
    }

    /**
     * The stored turns of a conversation (an Engram extension). {@code containerTag} defaults as on {@code POST}; 404
     * when the conversation is not stored under it.
     */
    @GET
    @Path("/{conversationId}")
    public Uni<ConversationResponse> get(
            @PathParam("conversationId") String conversationId, @QueryParam("containerTag") String containerTag) {
        String id = DocumentRequestValidator.customId(conversationId, "conversationId");
        String tag =
                DocumentRequestValidator.containerTag(requestCaller.get().tag(containerTag, "containerTag"), null, "");
        return findConversation
                .turns(requestCaller.orgId(), tag, id)
                .map(messages -> new ConversationResponse(id, tag, messages));
    }
}

package dev.engram.ingest.api;

/**
 * Answer to {@code POST /v4/conversations}.
 *
 * @param id the id of the document that stores the conversation (usable at once with {@code GET /v3/documents/{id}})
 * @param conversationId the client's conversation id, also the document's customId
 * @param status the document's status: {@code queued} when this call changed the conversation, else its status as it
 *     was
 */
public record AddConversationResponse(String id, String conversationId, String status) {}

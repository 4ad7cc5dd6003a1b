package dev.engram.ingest.api;

import dev.engram.core.events.ConversationMessage;
import java.util.List;

/**
 * {@code GET /v4/conversations/{conversationId}} (an Engram extension): a stored conversation's turns.
 *
 * @param conversationId the client's conversation id
 * @param containerTag the container tag it is stored under
 * @param messages its turns, oldest first: {@code role}, {@code content} (text), and {@code name} and {@code
 *     createdAt} when known
 */
public record ConversationResponse(String conversationId, String containerTag, List<ConversationMessage> messages) {}

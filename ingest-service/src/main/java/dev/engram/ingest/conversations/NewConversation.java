package dev.engram.ingest.conversations;

import dev.engram.core.events.ConversationMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated conversation to store: every field satisfies the API's rules.
 *
 * @param orgId owning organisation
 * @param containerTag valid container tag, the scope of the conversation's memories
 * @param conversationId the client's id for the conversation (a valid custom id)
 * @param messages 1 to {@link ConversationRequestValidator#MAX_MESSAGES} turns, oldest first, whose transcript fits
 *     the content limit
 * @param metadata flat metadata, never {@code null}
 * @param entityContext context for the container tag, or {@code null}
 */
public record NewConversation(
        String orgId,
        String containerTag,
        String conversationId,
        List<ConversationMessage> messages,
        Map<String, Object> metadata,
        String entityContext) {

    public NewConversation {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(containerTag, "containerTag");
        Objects.requireNonNull(conversationId, "conversationId");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a conversation has at least one message");
        }
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    }
}

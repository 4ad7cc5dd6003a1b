package dev.engram.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The current state of a conversation, published to {@link dev.engram.core.kafka.Topics#CONVERSATIONS} by
 * {@code POST /v4/conversations} (through ingest-service's outbox) and by the router after each exchange; keyed by
 * container tag.
 *
 * <p>Each event carries the whole conversation as the sender knows it. memory-writer indexes the transcript as the
 * conversation's document and extracts memories only from turns it has not seen before, so re-sending a longer
 * conversation processes just the new turns and re-sending the same one changes nothing.
 *
 * @param eventId unique event id
 * @param occurredAt when the conversation was accepted
 * @param schemaVersion {@link #SCHEMA_VERSION} for events written by this code
 * @param containerTag the scope the conversation's memories belong to (partition key)
 * @param orgId owning organisation
 * @param conversationId the client's conversation id
 * @param documentId the document that stores the conversation ({@link
 *     dev.engram.core.documents.DocumentIds#forConversation})
 * @param revision the document revision this state describes; status events name it
 * @param messages every turn so far, oldest first
 * @param metadata flat metadata for the conversation's document and memories, never {@code null}
 * @param entityContext the container tag's entity context that guides memory extraction, or {@code null}
 * @param origin {@code api} for {@code POST /v4/conversations}, {@code router} for the memory router
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConversationEvent(
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        String containerTag,
        String orgId,
        String conversationId,
        String documentId,
        long revision,
        List<ConversationMessage> messages,
        Map<String, Object> metadata,
        String entityContext,
        String origin)
        implements EngramEvent {

    /** Schema version written by this code. */
    public static final int SCHEMA_VERSION = 1;

    public ConversationEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(containerTag, "containerTag");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(documentId, "documentId");
        messages = messages == null ? List.of() : List.copyOf(messages);
        metadata = metadata == null ? Map.of() : metadata;
    }
}

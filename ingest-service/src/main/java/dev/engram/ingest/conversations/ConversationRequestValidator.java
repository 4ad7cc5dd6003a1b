package dev.engram.ingest.conversations;

import dev.engram.core.events.ConversationMessage;
import dev.engram.core.events.ConversationTranscript;
import dev.engram.ingest.api.AddConversationRequest;
import dev.engram.ingest.api.InvalidRequestException;
import dev.engram.ingest.documents.DocumentRequestValidator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks {@code POST /v4/conversations} bodies. The container tag, metadata and entity context follow the document
 * rules ({@link DocumentRequestValidator}); the conversation id follows the custom id rules. The first violation found
 * is reported with the field that caused it, e.g. {@code messages[2].content[1]}.
 */
public final class ConversationRequestValidator {

    /** Most messages in one conversation. */
    public static final int MAX_MESSAGES = 1000;

    /** Longest speaker name. */
    public static final int MAX_NAME = 100;

    private ConversationRequestValidator() {}

    /**
     * Validates a request.
     *
     * @throws InvalidRequestException naming the field at fault
     */
    public static NewConversation validate(AddConversationRequest request, String orgId) {
        if (request == null) {
            throw new InvalidRequestException("body", "a JSON object with 'conversationId' and 'messages' is required");
        }
        if (request.conversationId() == null) {
            throw new InvalidRequestException("conversationId", "is required");
        }
        String conversationId = DocumentRequestValidator.customId(request.conversationId(), "conversationId");
        String tag = DocumentRequestValidator.containerTag(request.containerTag(), request.containerTags(), "");
        List<ConversationMessage> messages = messages(request.messages());
        return new NewConversation(
                orgId,
                tag,
                conversationId,
                messages,
                DocumentRequestValidator.metadata(request.metadata(), "metadata"),
                DocumentRequestValidator.entityContext(request.entityContext(), "entityContext"));
    }

    private static List<ConversationMessage> messages(Object value) {
        if (value == null) {
            throw new InvalidRequestException("messages", "is required");
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidRequestException("messages", "must be an array of messages");
        }
        if (list.isEmpty() || list.size() > MAX_MESSAGES) {
            throw new InvalidRequestException(
                    "messages", "must hold 1 to " + MAX_MESSAGES + " messages, had " + list.size());
        }
        List<ConversationMessage> messages = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            messages.add(message(list.get(i), "messages[" + i + "]"));
        }
        int bytes = ConversationTranscript.render(messages).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > DocumentRequestValidator.MAX_CONTENT_BYTES) {
            throw new InvalidRequestException(
                    "messages",
                    "the transcript must be at most " + DocumentRequestValidator.MAX_CONTENT_BYTES
                            + " bytes of text, was " + bytes);
        }
        return messages;
    }

    private static ConversationMessage message(Object value, String field) {
        if (!(value instanceof Map<?, ?> message)) {
            throw new InvalidRequestException(field, "must be an object with 'role' and 'content'");
        }
        Object role = message.get("role");
        if (role == null) {
            throw new InvalidRequestException(field + ".role", "is required");
        }
        if (!(role instanceof String text) || !ConversationMessage.ROLES.contains(text)) {
            throw new InvalidRequestException(field + ".role", "must be one of user, assistant, system, tool");
        }
        return new ConversationMessage(
                text,
                content(message.get("content"), field + ".content"),
                name(message.get("name"), field + ".name"),
                createdAt(message.get("createdAt"), field + ".createdAt"));
    }

    /** A string, or text parts {@code [{"type": "text", "text": "..."}]} joined with blank lines. */
    private static String content(Object value, String field) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        if (value instanceof String text) {
            return text;
        }
        if (!(value instanceof List<?> parts)) {
            throw new InvalidRequestException(field, "must be a string or an array of text parts");
        }
        if (parts.isEmpty()) {
            throw new InvalidRequestException(field, "must hold at least one text part");
        }
        List<String> texts = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            String partField = field + "[" + i + "]";
            if (!(parts.get(i) instanceof Map<?, ?> part)) {
                throw new InvalidRequestException(
                        partField, "must be an object {\"type\": \"text\", \"text\": \"...\"}");
            }
            Object type = part.get("type");
            if (!"text".equals(type)) {
                throw new InvalidRequestException(
                        partField,
                        type == null
                                ? "needs \"type\": \"text\""
                                : "only text parts are supported, was type '" + type + "'");
            }
            if (!(part.get("text") instanceof String text)) {
                throw new InvalidRequestException(partField + ".text", "must be a string");
            }
            texts.add(text);
        }
        return String.join("\n\n", texts);
    }

    private static String name(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String name)) {
            throw new InvalidRequestException(field, "must be a string");
        }
        if (name.length() > MAX_NAME) {
            throw new InvalidRequestException(field, "must be at most " + MAX_NAME + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException(field, "must not contain control characters");
        }
        return name.isBlank() ? null : name.strip();
    }

    private static Instant createdAt(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new InvalidRequestException(
                field, "must be an ISO-8601 date-time with offset, e.g. 2026-11-28T21:29:00Z");
    }
}

package dev.engram.router.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engram.core.events.ConversationMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A chat request body (OpenAI Chat Completions or Anthropic Messages) as the router reads and changes it: everything
 * the client sent is kept as it was, except that the system prompt may gain a memory block and the oldest turns of a
 * long thread may be dropped. User turns are never rewritten.
 */
public final class ChatRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatApi api;
    private final ObjectNode body;
    private final ArrayNode messages;

    private ChatRequest(ChatApi api, ObjectNode body, ArrayNode messages) {
        this.api = api;
        this.body = body;
        this.messages = messages;
    }

    /**
     * Reads a request body.
     *
     * @throws InvalidChatRequestException if it is not a JSON object with a {@code messages} array of role-bearing
     *     objects
     */
    public static ChatRequest parse(ChatApi api, byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidChatRequestException("the body is not valid JSON");
        }
        if (!(root instanceof ObjectNode object)) {
            throw new InvalidChatRequestException("the body must be a JSON object");
        }
        if (!(object.get("messages") instanceof ArrayNode messages)) {
            throw new InvalidChatRequestException("messages: must be an array");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof ObjectNode message)
                    || !message.path("role").isTextual()) {
                throw new InvalidChatRequestException("messages[" + i + "]: must be an object with a role");
            }
        }
        return new ChatRequest(api, object, messages);
    }

    public ChatApi api() {
        return api;
    }

    /** Whether the client asked for Server-Sent Events. */
    public boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    /** The model asked for, if named. */
    public Optional<String> model() {
        return textual(body.get("model"));
    }

    /** The end user the body names: {@code user} (OpenAI) or {@code metadata.user_id} (Anthropic). */
    public Optional<String> user() {
        return switch (api) {
            case OPENAI_CHAT -> textual(body.get("user"));
            case ANTHROPIC_MESSAGES -> textual(body.path("metadata").get("user_id"));
        };
    }

    /** The text of the latest user turn that has text (a turn of tool results only is skipped). */
    public Optional<String> latestUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (role(message).equals("user")) {
                String text = ChatText.of(message.get("content"));
                if (!text.isBlank()) {
                    return Optional.of(text);
                }
            }
        }
        return Optional.empty();
    }

    /** The text of the first user turn, if any: it names the thread when the client gives no conversation id. */
    public Optional<String> firstUserText() {
        for (JsonNode message : messages) {
            if (role(message).equals("user")) {
                String text = ChatText.of(message.get("content"));
                if (!text.isBlank()) {
                    return Optional.of(text);
                }
            }
        }
        return Optional.empty();
    }

    /** The system prompt's text (OpenAI: every system and developer message; Anthropic: {@code system}). */
    public String systemText() {
        return switch (api) {
            case OPENAI_CHAT -> {
                StringBuilder text = new StringBuilder();
                for (JsonNode message : messages) {
                    if (isSystem(message)) {
                        text.append(ChatText.of(message.get("content"))).append('\n');
                    }
                }
                yield text.toString();
            }
            case ANTHROPIC_MESSAGES -> ChatText.of(body.get("system"));
        };
    }

    /**
     * The conversation's turns as the client sent them, flattened to text, system prompts and turns without text left
     * out; roles mapped to {@link ConversationMessage#ROLES}.
     */
    public List<ConversationMessage> turns() {
        List<ConversationMessage> turns = new ArrayList<>();
        for (JsonNode message : messages) {
            if (isSystem(message)) {
                continue;
            }
            String text = ChatText.of(message.get("content"));
            if (text.isBlank()) {
                continue;
            }
            String role = switch (role(message)) {
                case "user", "assistant" -> role(message);
                default -> "tool";
            };
            turns.add(new ConversationMessage(
                    role, text, textual(message.get("name")).orElse(null), null));
        }
        return turns;
    }

    /**
     * Puts a stored conversation's earlier turns before the client's (after the leading system messages), as plain
     * text turns: only user and assistant turns (a stored tool result has lost the call it answers), starting at a
     * user turn; the speaker's {@code name} is kept on OpenAI, whose messages have one.
     *
     * @return how many messages were inserted
     */
    public int insertHistory(List<ConversationMessage> history) {
        List<ObjectNode> inserted = new ArrayList<>();
        for (ConversationMessage turn : history) {
            boolean userOrAssistant = turn.role().equals("user") || turn.role().equals("assistant");
            if (!userOrAssistant || (inserted.isEmpty() && !turn.role().equals("user"))) {
                continue;
            }
            ObjectNode message = JsonNodeFactory.instance.objectNode();
            message.put("role", turn.role());
            message.put("content", turn.content());
            if (api == ChatApi.OPENAI_CHAT && turn.name() != null) {
                message.put("name", turn.name());
            }
            inserted.add(message);
        }
        int at = 0;
        while (at < messages.size() && isSystem(messages.get(at))) {
            at++;
        }
        for (int i = 0; i < inserted.size(); i++) {
            messages.insert(at + i, inserted.get(i));
        }
        return inserted.size();
    }

    /** Tokens of the prompt: every message's text plus its overhead, and Anthropic's {@code system}. */
    public int tokens(TokenCounter counter) {
        int total = api == ChatApi.ANTHROPIC_MESSAGES ? counter.count(systemText()) : 0;
        for (JsonNode message : messages) {
            total += tokens(message, counter);
        }
        return total;
    }

    /**
     * What {@link #trimTo} did.
     *
     * @param dropped how many messages were dropped
     * @param tokens the prompt's tokens afterwards (as {@link #tokens} counts them)
     */
    public record Trim(int dropped, int tokens) {}

    /**
     * Drops the oldest non-system turns until the prompt fits {@code budget} tokens. Never drops a system message or
     * anything from the latest user turn on, and leaves the thread starting at a user turn (so no tool result loses
     * its call and Anthropic's user-first rule holds). Counts every message once.
     */
    public Trim trimTo(int budget, TokenCounter counter) {
        List<JsonNode> all = new ArrayList<>();
        messages.forEach(all::add);
        int[] cost = all.stream().mapToInt(message -> tokens(message, counter)).toArray();
        int total = api == ChatApi.ANTHROPIC_MESSAGES ? counter.count(systemText()) : 0;
        for (int c : cost) {
            total += c;
        }
        if (total <= budget) {
            return new Trim(0, total);
        }
        int latestUser = -1;
        for (int i = all.size() - 1; i >= 0 && latestUser < 0; i--) {
            if (isPlainUserTurn(all.get(i))) {
                latestUser = i;
            }
        }
        boolean[] dropped = new boolean[all.size()];
        int droppedCount = 0;
        int next = 0;
        while (next < latestUser && total > budget) {
            // Drop the oldest turn, then whatever would no longer start at a user turn.
            do {
                if (!isSystem(all.get(next))) {
                    dropped[next] = true;
                    droppedCount++;
                    total -= cost[next];
                }
                next++;
            } while (next < latestUser && (isSystem(all.get(next)) || !isPlainUserTurn(all.get(next))));
        }
        if (droppedCount > 0) {
            messages.removeAll();
            for (int i = 0; i < all.size(); i++) {
                if (!dropped[i]) {
                    messages.add(all.get(i));
                }
            }
        }
        return new Trim(droppedCount, total);
    }

    /**
     * Appends {@code block} to the system prompt, or adds a system prompt holding it.
     *
     * @return whether a message was added for it (OpenAI without a system message)
     */
    public boolean appendToSystem(String block) {
        if (api == ChatApi.ANTHROPIC_MESSAGES) {
            appendText(body, "system", block);
            return false;
        }
        for (JsonNode message : messages) {
            if (isSystem(message)) {
                appendText((ObjectNode) message, "content", block);
                return false;
            }
        }
        ObjectNode system = JsonNodeFactory.instance.objectNode();
        system.put("role", "system");
        system.put("content", block);
        messages.insert(0, system);
        return true;
    }

    /** The body as it goes upstream. */
    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed body always serialises", e);
        }
    }

    private static void appendText(ObjectNode holder, String field, String block) {
        JsonNode existing = holder.get(field);
        if (existing instanceof ArrayNode parts) {
            ObjectNode part = parts.addObject();
            part.put("type", "text");
            part.put("text", block);
        } else if (existing != null
                && existing.isTextual()
                && !existing.asText().isEmpty()) {
            holder.put(field, existing.asText() + "\n\n" + block);
        } else {
            holder.put(field, block);
        }
    }

    private int tokens(JsonNode message, TokenCounter counter) {
        int tokens = TokenCounter.PER_MESSAGE + counter.count(ChatText.of(message.get("content")));
        JsonNode toolCalls = message.get("tool_calls");
        if (toolCalls != null) {
            tokens += counter.count(toolCalls.toString());
        }
        return tokens + counter.count(ChatText.nonText(message.get("content")));
    }

    private boolean isSystem(JsonNode message) {
        String role = role(message);
        return api == ChatApi.OPENAI_CHAT && (role.equals("system") || role.equals("developer"));
    }

    private static boolean isPlainUserTurn(JsonNode message) {
        return role(message).equals("user") && !ChatText.hasToolResult(message.get("content"));
    }

    private static String role(JsonNode message) {
        return message.path("role").asText("");
    }

    private static Optional<String> textual(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank()
                ? Optional.of(node.asText())
                : Optional.empty();
    }
}

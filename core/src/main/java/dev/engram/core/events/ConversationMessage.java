package dev.engram.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One turn of a conversation, its content already flattened to text.
 *
 * @param role {@code user}, {@code assistant}, {@code system} or {@code tool}
 * @param content the turn's text (text parts joined with blank lines)
 * @param name the speaker's name when the client gave one, or {@code null}
 * @param createdAt when the turn was said, or {@code null} when unknown (the event's time is used then)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConversationMessage(String role, String content, String name, Instant createdAt) {

    /** The roles a turn may have. */
    public static final Set<String> ROLES = Set.of("user", "assistant", "system", "tool");

    public ConversationMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("unknown role: " + role);
        }
    }
}

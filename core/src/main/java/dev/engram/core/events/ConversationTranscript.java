package dev.engram.core.events;

import java.util.List;

/**
 * Renders a conversation as the plain text that is stored as its document's content and chunked for search: one
 * turn per line, {@code [date] speaker: text}, where the speaker is the turn's name with its role in parentheses, or
 * the role alone. Line breaks inside a turn are kept, so a turn may span lines.
 */
public final class ConversationTranscript {

    private ConversationTranscript() {}

    /** The transcript of these turns, oldest first. */
    public static String render(List<ConversationMessage> messages) {
        StringBuilder text = new StringBuilder();
        for (ConversationMessage message : messages) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(line(message));
        }
        return text.toString();
    }

    /** One turn as a transcript line. */
    public static String line(ConversationMessage message) {
        StringBuilder line = new StringBuilder();
        if (message.createdAt() != null) {
            line.append('[').append(message.createdAt()).append("] ");
        }
        line.append(speaker(message)).append(": ").append(message.content().strip());
        return line.toString();
    }

    /** The turn's name with its role in parentheses, or the role alone. */
    public static String speaker(ConversationMessage message) {
        String name = message.name() == null ? "" : message.name().strip();
        return name.isEmpty() ? message.role() : name + " (" + message.role() + ")";
    }
}

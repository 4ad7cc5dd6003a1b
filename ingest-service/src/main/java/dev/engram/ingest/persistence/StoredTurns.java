package dev.engram.ingest.persistence;

import dev.engram.core.events.ConversationMessage;
import java.util.List;

/**
 * {@code documents.turns}: a conversation's turns, oldest first. Stored as an object rather than a bare array, since
 * the reactive PostgreSQL client reads a JSON column as an object.
 *
 * @param messages the turns
 */
public record StoredTurns(List<ConversationMessage> messages) {

    public StoredTurns {
        messages = List.copyOf(messages);
    }
}

package dev.engram.router.chat;

import dev.engram.core.events.ConversationMessage;
import java.util.List;
import java.util.Optional;

/**
 * Which of a stored conversation's turns belong before the turns a client sent: none when the client resent the
 * history (its turns start with the stored conversation's first turn, system turns aside); else the stored turns the client's do not
 * repeat (a client that sends the last exchange again with its new turn gets only the turns before it).
 *
 * @param history the stored turns to put before the client's, oldest first, as stored (every role); what is
 *     published for the conversation is these followed by the client's turns
 */
public record Backfill(List<ConversationMessage> history) {

    /** Nothing to backfill. */
    public static final Backfill NONE = new Backfill(List.of());

    public Backfill {
        history = List.copyOf(history);
    }

    /**
     * @param stored the conversation's stored turns, oldest first
     * @param sent the client's turns ({@link ChatRequest#turns()})
     */
    public static Backfill of(List<ConversationMessage> stored, List<ConversationMessage> sent) {
        // A conversation stored through the API may start with a system turn, which the client's turns never hold.
        Optional<ConversationMessage> storedFirst =
                stored.stream().filter(turn -> !turn.role().equals("system")).findFirst();
        if (storedFirst.isEmpty() || (!sent.isEmpty() && same(sent.get(0), storedFirst.get()))) {
            return NONE;
        }
        // The longest run at the end of the stored turns that the client's turns start with.
        int overlap = Math.min(stored.size(), sent.size());
        while (overlap > 0 && !repeats(stored, sent, overlap)) {
            overlap--;
        }
        return new Backfill(stored.subList(0, stored.size() - overlap));
    }

    private static boolean repeats(List<ConversationMessage> stored, List<ConversationMessage> sent, int length) {
        int from = stored.size() - length;
        for (int i = 0; i < length; i++) {
            if (!same(stored.get(from + i), sent.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The same turn: the same role and text, whitespace at the ends aside. */
    private static boolean same(ConversationMessage a, ConversationMessage b) {
        return a.role().equals(b.role())
                && a.content().strip().equals(b.content().strip());
    }
}

package dev.engram.bench;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one LoCoMo conversation is fed to {@code POST /v4/conversations}: one request per session, each carrying every
 * turn so far, so the writer sees the conversation grow and extracts only the turns it has not seen. A turn's position
 * is its 0-based index in the message list, which is what memory-writer names in source refs ({@code t<position>});
 * {@link #customIdAt(int)} maps it back to the LoCoMo turn.
 *
 * @param conversationId the LoCoMo conversation id, e.g. {@code conv-26}
 * @param containerTag the run-scoped tag its memories go to, {@code locomo-<run>-<conversation>}; also the conversation
 *     id of every request, because the API keeps conversation ids unique across an organisation's tags
 * @param requests one per session, in order
 * @param customIds the LoCoMo customId of the turn at each message position
 */
record LocomoFeed(String conversationId, String containerTag, List<Request> requests, List<String> customIds) {

    LocomoFeed {
        requests = List.copyOf(requests);
        customIds = List.copyOf(customIds);
    }

    /** One message as the API takes it. Both speakers are {@code user}: LoCoMo is two people talking. */
    record Message(String role, String content, String name, String createdAt) {}

    /**
     * One {@code POST /v4/conversations}.
     *
     * @param session the session whose turns this request adds
     * @param messages every turn up to and including that session
     * @param newTurns how many of them are new
     */
    record Request(int session, List<Message> messages, int newTurns) {
        Request {
            messages = List.copyOf(messages);
        }
    }

    /** The tag of {@code conversationId} in run {@code runId}. */
    static String containerTag(String runId, String conversationId) {
        return "locomo-" + runId + "-" + conversationId;
    }

    /** Plans the requests of {@code conversation} in run {@code runId}. */
    static LocomoFeed of(LocomoData.Conversation conversation, String runId) {
        List<Message> sofar = new ArrayList<>();
        List<String> customIds = new ArrayList<>();
        List<Request> requests = new ArrayList<>();
        for (LocomoData.Session session : conversation.sessions()) {
            for (LocomoData.Turn turn : session.turns()) {
                sofar.add(message(turn));
                customIds.add(turn.customId());
            }
            requests.add(new Request(session.number(), sofar, session.turns().size()));
        }
        return new LocomoFeed(conversation.id(), containerTag(runId, conversation.id()), requests, customIds);
    }

    /** A turn as a message: its text, its speaker as the name, its date taken as UTC. */
    static Message message(LocomoData.Turn turn) {
        return new Message(
                "user",
                turn.text(),
                turn.speaker(),
                turn.date().atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    /** The conversation id every request of this conversation carries: one per LoCoMo conversation and run. */
    String requestConversationId() {
        return containerTag;
    }

    /** How many turns the conversation has. */
    int turnCount() {
        return customIds.size();
    }

    /** The LoCoMo customId of the turn at message {@code position}, if there is one. */
    Optional<String> customIdAt(int position) {
        return position >= 0 && position < customIds.size() ? Optional.of(customIds.get(position)) : Optional.empty();
    }
}

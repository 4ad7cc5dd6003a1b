package dev.engram.writer.messaging;

/** Reactive Messaging channel names of this service; tests reuse them. */
public final class Channels {

    /** Incoming conversations to index and extract memories from ({@code engram.conversations.v1}). */
    public static final String CONVERSATIONS = "conversations";

    /** Outgoing dead letters of conversations ({@code engram.conversations.v1.dlq}). */
    public static final String CONVERSATION_DEAD_LETTERS = "conversations-dlq";

    /** Outgoing status changes ({@code engram.processing-status.v1}). */
    public static final String PROCESSING_STATUS = "processing-status";

    /** Outgoing dead letters ({@code engram.documents.v1.dlq}). */
    public static final String DEAD_LETTERS = "documents-dlq";

    private Channels() {}
}

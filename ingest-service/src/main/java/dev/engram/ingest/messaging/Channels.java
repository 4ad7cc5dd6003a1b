package dev.engram.ingest.messaging;

/** Reactive Messaging channel names of this service; tests reuse them. */
public final class Channels {

    /** Incoming status changes from memory-writer ({@code engram.processing-status.v1}). */
    public static final String PROCESSING_STATUS = "processing-status";

    /** Outgoing dead letters of unreadable status events ({@code engram.processing-status.v1.dlq}). */
    public static final String PROCESSING_STATUS_DLQ = "processing-status-dlq";

    /** Incoming document events ({@code engram.documents.v1}), for documents published by other producers. */
    public static final String DOCUMENTS = "documents";

    /** Incoming conversation events ({@code engram.conversations.v1}), for conversations published by the router. */
    public static final String CONVERSATIONS = "conversations";

    private Channels() {}
}

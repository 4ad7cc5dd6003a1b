package dev.engram.router.messaging;

/** Reactive Messaging channel names of this service; tests reuse them. */
public final class Channels {

    /** Outgoing conversation turns ({@code engram.conversations.v1}), keyed by container tag. */
    public static final String CONVERSATIONS = "conversations";

    private Channels() {}
}

package dev.engram.core.events;

import java.time.Instant;

/**
 * Common head of every event Engram puts on Kafka.
 *
 * <p>Every event record starts with these four fields, in this order, so that a consumer can route, deduplicate
 * and order an event before it understands the rest. Changes inside a {@code v1} topic are additive only: a new
 * field may be added (consumers ignore what they do not know), none may be removed or change meaning.
 */
public sealed interface EngramEvent permits DocumentEvent, ConversationEvent, ProcessingStatusEvent {

    /** Unique id of this event; consumers use it to recognise a redelivery. */
    String eventId();

    /** When the fact the event announces happened (not when it was relayed). */
    Instant occurredAt();

    /** Version of the event's schema within its topic's major version. */
    int schemaVersion();

    /** The container tag the event belongs to; also the Kafka partition key, so one tag is processed in order. */
    String containerTag();

    /** The organisation that owns the data; every row and every vector carries it. */
    String orgId();
}

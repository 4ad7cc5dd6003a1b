package dev.engram.outbox;

import dev.engram.core.events.EngramEvent;
import dev.engram.core.json.EventJson;
import java.util.Map;
import java.util.Objects;

/**
 * One record waiting in an outbox table to be relayed to Kafka.
 *
 * @param orgId the organisation the record belongs to (the table's {@code org_id})
 * @param topic destination topic
 * @param key record key (Engram's events use the container tag, so one tag's events stay in order)
 * @param payload record value, the event's JSON
 * @param headers Kafka headers to send with the record, e.g. the W3C trace context from {@link TraceHeaders}; never
 *     {@code null}
 */
public record OutboxRow(String orgId, String topic, String key, String payload, Map<String, String> headers) {

    /** Checks the fields. */
    public OutboxRow {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payload, "payload");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The row for an Engram event: keyed by its container tag, its JSON wire form ({@link EventJson}) as payload. */
    public static OutboxRow of(String topic, EngramEvent event, Map<String, String> headers) {
        return new OutboxRow(event.orgId(), topic, event.containerTag(), EventJson.write(event), headers);
    }
}

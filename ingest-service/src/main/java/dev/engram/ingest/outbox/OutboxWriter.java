package dev.engram.ingest.outbox;

import dev.engram.core.events.EngramEvent;
import dev.engram.core.json.EventJson;
import dev.engram.ingest.persistence.OutboxEntity;
import dev.engram.outbox.OutboxRelay;
import dev.engram.outbox.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Appends events to the outbox inside the caller's transaction, so an event exists exactly when the change it
 * announces was committed. The caller's trace context travels with the row and is restored by the relay (the shared
 * {@link OutboxRelay} of the outbox module, run by {@link OutboxRelayProducer}).
 */
@ApplicationScoped
public class OutboxWriter {

    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    OutboxRelay relay;

    /**
     * Captures the current trace context; call it on the request's own thread, before any asynchronous hop.
     *
     * @return W3C trace headers to store with the row
     */
    public Map<String, String> traceHeaders() {
        return TraceHeaders.current(openTelemetry);
    }

    /**
     * Persists one outbox row; must run inside an open transaction.
     *
     * @param topic destination topic
     * @param event the event; its container tag is the record key
     * @param headers headers to send with the record (see {@link #traceHeaders()})
     */
    public Uni<Void> append(String topic, EngramEvent event, Map<String, String> headers) {
        OutboxEntity row = new OutboxEntity();
        row.orgId = event.orgId();
        row.topic = topic;
        row.recordKey = event.containerTag();
        row.payload = EventJson.write(event);
        row.headers = Map.copyOf(headers);
        row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        return row.persist().replaceWithVoid();
    }

    /** Tells the relay that committed rows are waiting; call after the transaction committed. */
    public void committed() {
        relay.wakeUp();
    }
}

package dev.engram.ingest.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.core.events.EngramEvent;
import dev.engram.core.json.EventJson;
import dev.engram.ingest.persistence.OutboxEntity;
import dev.engram.outbox.OutboxRelay;
import dev.engram.outbox.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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

    @Inject
    ObjectMapper json;

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

    /**
     * Appends one outbox row per event, in one statement and in the given order; must run inside an open transaction,
     * before any entity is written in it (a native statement flushes the session first).
     *
     * @param topic destination topic
     * @param events the events; each one's container tag is its record key
     * @param headers headers to send with every record (see {@link #traceHeaders()})
     */
    public Uni<Void> appendAll(String topic, List<? extends EngramEvent> events, Map<String, String> headers) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] orgs = new String[events.size()];
        String[] keys = new String[events.size()];
        String[] payloads = new String[events.size()];
        for (int i = 0; i < payloads.length; i++) {
            EngramEvent event = events.get(i);
            orgs[i] = event.orgId();
            keys[i] = event.containerTag();
            payloads[i] = EventJson.write(event);
        }
        String headersJson;
        try {
            headersJson = json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("headers not writable as JSON", e);
        }
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("""
                                insert into ingest.outbox (org_id, topic, record_key, payload, headers, created_at)
                                select r.org_id, cast(?1 as text), r.record_key, r.payload, cast(cast(?2 as text) as jsonb), now()
                                from unnest(cast(?3 as text[]), cast(?4 as text[]), cast(?5 as text[]))
                                    with ordinality as r(org_id, record_key, payload, position)
                                order by r.position
                                """)
                        .setParameter(1, topic)
                        .setParameter(2, headersJson)
                        .setParameter(3, orgs)
                        .setParameter(4, keys)
                        .setParameter(5, payloads)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Tells the relay that committed rows are waiting; call after the transaction committed. */
    public void committed() {
        relay.wakeUp();
    }
}

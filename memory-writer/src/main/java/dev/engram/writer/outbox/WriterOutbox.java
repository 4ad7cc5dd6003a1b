package dev.engram.writer.outbox;

import dev.engram.core.events.EngramEvent;
import dev.engram.outbox.OutboxInserts;
import dev.engram.outbox.OutboxRow;
import dev.engram.outbox.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Appends events to {@code writer.outbox} (same columns as {@code ingest.outbox}) inside the caller's transaction,
 * so an event exists exactly when the change it announces was committed. The shared outbox module's relay moves
 * committed rows to Kafka and deletes them; the record key is the event's container tag.
 */
@ApplicationScoped
public class WriterOutbox {

    /** The outbox table. */
    public static final String TABLE = "writer.outbox";

    @Inject
    OpenTelemetry openTelemetry;

    /**
     * The current trace context as headers, to store with a row so the relayed record continues the trace. Call it
     * on the thread that handles the request.
     */
    public Map<String, String> traceHeaders() {
        return TraceHeaders.current(openTelemetry);
    }

    /**
     * Inserts one row; must run inside the open transaction of the change it announces.
     *
     * @param topic destination topic
     * @param event the event (its JSON wire form is the payload)
     * @param headers Kafka headers to send with it (see {@link #traceHeaders()})
     */
    public void append(Connection connection, String topic, EngramEvent event, Map<String, String> headers)
            throws SQLException {
        OutboxInserts.insert(connection, TABLE, OutboxRow.of(topic, event, headers));
    }
}

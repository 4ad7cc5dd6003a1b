package dev.engram.ingest.outbox;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.json.EventJson;
import dev.engram.core.json.MalformedEventException;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.config.OutboxConfig;
import dev.engram.outbox.OutboxRelay;
import dev.engram.outbox.OutboxRelaySettings;
import dev.engram.outbox.OutboxRow;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Runs the shared {@link OutboxRelay} on {@code ingest.outbox}: started with the service, closed at its shutdown. */
@ApplicationScoped
public class OutboxRelayProducer {

    /** The table this service's outbox rows are written to. */
    public static final String TABLE = "ingest.outbox";

    /**
     * Advisory-lock key of this table's relays ("engram" in ASCII): the key ingest-service has always used, so
     * replicas of older and newer versions still take turns during a rolling upgrade.
     */
    static final long LOCK_KEY = 0x656E6772616DL;

    @Produces
    @Singleton
    OutboxRelay relay(
            AgroalDataSource dataSource,
            OpenTelemetry openTelemetry,
            OutboxConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        OutboxRelaySettings settings = OutboxRelaySettings.of("ingest-outbox-relay", TABLE, LOCK_KEY, bootstrapServers)
                .withBatchSize(config.batchSize())
                .withTimings(config.pollInterval(), config.sendTimeout(), config.maxBackoff());
        return new OutboxRelay(dataSource, settings, openTelemetry, OutboxRelayProducer::undeliverable);
    }

    /**
     * A document whose event the broker refused for good (e.g. larger than the topic takes) can never be processed:
     * it ends {@code failed} with the reason, in the relay's transaction, unless a later revision replaced it. Other
     * events (deletes, metadata changes, conversations) leave statuses alone; their rows stay in the dead-letter
     * table for an operator.
     */
    static void undeliverable(Connection connection, OutboxRow row, String reason) throws SQLException {
        if (!Topics.DOCUMENTS.equals(row.topic())) {
            return;
        }
        DocumentEvent event;
        try {
            event = EventJson.read(row.payload(), DocumentEvent.class);
        } catch (MalformedEventException e) {
            return;
        }
        if (event.operation() != DocumentOperation.UPSERT) {
            return;
        }
        try (PreparedStatement fail = connection.prepareStatement("update ingest.documents set status = 'failed',"
                + " status_reason = ?, updated_at = now() where org_id = ? and id = ? and revision = ?"
                + " and status not in ('done', 'failed')")) {
            fail.setString(1, "queueing failed: the broker refused the document's event for good (" + reason + ")");
            fail.setString(2, event.orgId());
            fail.setString(3, event.documentId());
            fail.setLong(4, event.revision());
            fail.executeUpdate();
        }
    }

    void start(@Observes StartupEvent event, OutboxRelay relay) {
        relay.start();
    }

    void close(@Disposes OutboxRelay relay) {
        relay.close();
    }
}

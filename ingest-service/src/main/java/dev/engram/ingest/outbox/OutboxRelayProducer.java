package dev.engram.ingest.outbox;

import dev.engram.ingest.config.OutboxConfig;
import dev.engram.outbox.OutboxRelay;
import dev.engram.outbox.OutboxRelaySettings;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
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
        return new OutboxRelay(dataSource, settings, openTelemetry);
    }

    void start(@Observes StartupEvent event, OutboxRelay relay) {
        relay.start();
    }

    void close(@Disposes OutboxRelay relay) {
        relay.close();
    }
}

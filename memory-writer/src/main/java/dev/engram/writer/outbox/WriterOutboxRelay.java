package dev.engram.writer.outbox;

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
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the shared {@link OutboxRelay} on {@link WriterOutbox#TABLE}: the light source documents of memories created
 * through {@code POST /v4/memories} reach {@code engram.documents.v1} from here, after their transaction committed.
 * One replica relays at a time (an advisory lock of this table's own key).
 */
@ApplicationScoped
public class WriterOutboxRelay {

    @Produces
    @Singleton
    OutboxRelay relay(
            AgroalDataSource dataSource,
            OpenTelemetry openTelemetry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "writer.outbox.poll-interval", defaultValue = "1s") Duration pollInterval) {
        OutboxRelaySettings settings = OutboxRelaySettings.of(
                        "writer-outbox-relay",
                        WriterOutbox.TABLE,
                        OutboxRelaySettings.lockKeyOf(WriterOutbox.TABLE),
                        bootstrapServers)
                .withTimings(pollInterval, Duration.ofSeconds(15), Duration.ofSeconds(5));
        return new OutboxRelay(dataSource, settings, openTelemetry);
    }

    void start(@Observes StartupEvent event, OutboxRelay relay) {
        relay.start();
    }

    void close(@Disposes OutboxRelay relay) {
        relay.close();
    }
}

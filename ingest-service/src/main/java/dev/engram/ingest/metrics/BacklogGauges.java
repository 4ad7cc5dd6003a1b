package dev.engram.ingest.metrics;

import dev.engram.core.documents.DocumentStatus;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Gauges of what is waiting, read from the tables every {@value #REFRESH_SECONDS} s on a thread of their own (a scrape
 * only reads the last values, it never waits for the database):
 *
 * <ul>
 *   <li>{@code engram_ingest_documents_in_flight{status}}: documents in each pipeline status ({@code queued} to {@code
 *       indexing}), one grouped query over the partial index {@code documents_in_flight_ix}, so its cost follows the
 *       documents in flight, not all documents. Finished documents are not counted here (a grouped count over every
 *       document would read the whole table); how many end {@code done} or {@code failed} is memory-writer's counter
 *       {@code engram_writer_documents_total{outcome}}.
 *   <li>{@code engram_ingest_outbox_backlog}: outbox rows not yet relayed to Kafka, and {@code
 *       engram_ingest_outbox_oldest_seconds}, the age of the oldest (0 when empty).
 * </ul>
 *
 * <p>Every replica reports the same database figures: aggregate with {@code max}, not {@code sum}. When the database
 * cannot be read, the gauges keep their last values.
 */
@ApplicationScoped
public class BacklogGauges {

    /** Metric names. */
    public static final String IN_FLIGHT = "engram.ingest.documents.in.flight";

    public static final String OUTBOX_BACKLOG = "engram.ingest.outbox.backlog";
    public static final String OUTBOX_OLDEST = "engram.ingest.outbox.oldest.seconds";

    static final int REFRESH_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(BacklogGauges.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    private final Map<DocumentStatus, AtomicLong> inFlight = new EnumMap<>(DocumentStatus.class);
    private final AtomicLong outboxBacklog = new AtomicLong();
    private final AtomicLong outboxOldestSeconds = new AtomicLong();
    private ScheduledExecutorService refresher;

    void start(@Observes StartupEvent event) {
        for (DocumentStatus status : DocumentStatus.values()) {
            if (!status.isTerminal()) {
                AtomicLong value = new AtomicLong();
                inFlight.put(status, value);
                Gauge.builder(IN_FLIGHT, value, AtomicLong::doubleValue)
                        .description("Documents in a pipeline status (not yet done or failed)")
                        .tag("status", status.wireName())
                        .register(registry);
            }
        }
        Gauge.builder(OUTBOX_BACKLOG, outboxBacklog, AtomicLong::doubleValue)
                .description("Outbox rows waiting to be relayed to Kafka")
                .register(registry);
        Gauge.builder(OUTBOX_OLDEST, outboxOldestSeconds, AtomicLong::doubleValue)
                .description("Age of the oldest outbox row waiting to be relayed")
                .register(registry);
        refresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("backlog-gauges").daemon().factory());
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    private void refresh() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            Map<DocumentStatus, Long> counts = new EnumMap<>(DocumentStatus.class);
            try (ResultSet rows = statement.executeQuery("select status, count(*) from ingest.documents"
                    + " where status not in ('done', 'failed') group by status")) {
                while (rows.next()) {
                    counts.put(DocumentStatus.fromWire(rows.getString(1)), rows.getLong(2));
                }
            }
            inFlight.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
            try (ResultSet rows = statement.executeQuery("select count(*),"
                    + " coalesce(extract(epoch from now() - min(created_at)), 0) from ingest.outbox")) {
                rows.next();
                outboxBacklog.set(rows.getLong(1));
                outboxOldestSeconds.set(rows.getLong(2));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("backlog gauges not refreshed: %s", e.getMessage());
        }
    }
}

package dev.engram.ingest.outbox;

import dev.engram.ingest.config.OutboxConfig;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Moves committed outbox rows to Kafka, oldest first, and deletes them once the broker has acknowledged them.
 *
 * <p>One worker thread per service instance; across instances a PostgreSQL advisory lock taken per batch lets only
 * one relay publish at a time, which keeps per-tag order. Delivery is at least once: rows are deleted in the same
 * transaction that locked them, after every record of the batch was acknowledged, so a crash or a broker outage
 * means a retry, never a loss. The producer is idempotent, so retries inside one producer session cannot duplicate
 * a record; a redelivery after a relay crash is absorbed by the idempotent consumers.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Advisory lock key shared by every relay on the database ("engram" in ASCII). */
    private static final long LOCK_KEY = 0x656E6772616DL;

    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxConfig config;

    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicLong relayed = new AtomicLong();
    private volatile boolean running;
    private volatile Thread worker;
    private volatile String lastError;
    private volatile Producer<String, String> producer;
    private Tracer tracer;

    void onStart(@Observes StartupEvent event) {
        tracer = openTelemetry.getTracer("dev.engram.ingest.outbox");
        producer = newProducer();
        running = true;
        worker = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the relay to look for rows now rather than at its next poll. */
    public void wakeUp() {
        wakeUps.release();
    }

    /** Whether the relay thread is alive. */
    public boolean isAlive() {
        Thread thread = worker;
        return running && thread != null && thread.isAlive();
    }

    /** Records relayed since start. */
    public long relayedCount() {
        return relayed.get();
    }

    /** The last failure, if the most recent attempt failed; {@code null} after a success. */
    public String lastError() {
        return lastError;
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            try {
                int sent;
                do {
                    sent = relayBatch();
                } while (sent >= config.batchSize() && running);
                lastError = null;
                backoff = MIN_BACKOFF;
                wakeUps.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warnf("outbox relay attempt failed, retrying in %d ms: %s", backoff.toMillis(), lastError);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0
                        ? config.maxBackoff()
                        : backoff.multipliedBy(2);
            }
        }
    }

    /** Relays one batch in one transaction; returns how many records were published. */
    int relayBatch() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!tryLock(connection)) {
                    connection.rollback();
                    return 0;
                }
                List<Row> rows = lockOldest(connection);
                if (rows.isEmpty()) {
                    connection.commit();
                    return 0;
                }
                publish(rows);
                delete(connection, rows);
                connection.commit();
                relayed.addAndGet(rows.size());
                LOG.debugf("relayed %d outbox record(s)", rows.size());
                return rows.size();
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private void publish(List<Row> rows) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        List<Span> spans = new ArrayList<>(rows.size());
        try {
            for (Row row : rows) {
                Context parent = openTelemetry
                        .getPropagators()
                        .getTextMapPropagator()
                        .extract(Context.root(), row.headers, HEADERS);
                Span span = tracer.spanBuilder("OutboxRelay.publish")
                        .setParent(parent)
                        .setSpanKind(SpanKind.PRODUCER)
                        .setAttribute("messaging.system", "kafka")
                        .setAttribute("messaging.destination.name", row.topic)
                        .setAttribute("engram.outbox.id", row.id)
                        .startSpan();
                spans.add(span);
                Map<String, String> headers = new HashMap<>(row.headers);
                openTelemetry
                        .getPropagators()
                        .getTextMapPropagator()
                        .inject(Context.root().with(span), headers, Map::put);
                ProducerRecord<String, String> record = new ProducerRecord<>(row.topic, row.key, row.payload);
                headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
                acks.add(producer.send(record));
            }
            // The producer fails every record within its delivery timeout, so waiting a little longer than that
            // means no record of a failed batch can still be delivered behind our back and then again on retry.
            long deadline =
                    System.nanoTime() + config.sendTimeout().plusSeconds(5).toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (Exception e) {
            spans.forEach(span -> span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName()));
            if (acks.stream().anyMatch(ack -> !ack.isDone())) {
                // Should not happen (see above); if it does, abort what is pending rather than risk a duplicate.
                producer.close(Duration.ZERO);
                producer = newProducer();
            }
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private List<Row> lockOldest(Connection connection) throws SQLException {
        String sql = "select id, topic, record_key, payload, headers::text from outbox order by id limit ? for update";
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setInt(1, config.batchSize());
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(
                            result.getLong(1),
                            result.getString(2),
                            result.getString(3),
                            result.getString(4),
                            headers(result.getString(5))));
                }
            }
        }
        return rows;
    }

    private static void delete(Connection connection, List<Row> rows) throws SQLException {
        Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
        try (PreparedStatement delete = connection.prepareStatement("delete from outbox where id = any(?)")) {
            delete.setArray(1, connection.createArrayOf("bigint", ids));
            delete.executeUpdate();
        }
    }

    private Map<String, String> headers(String jsonText) {
        try {
            Map<String, String> headers = new HashMap<>();
            json.readTree(jsonText)
                    .properties()
                    .forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            return headers;
        } catch (Exception e) {
            throw new IllegalStateException("outbox headers are not a JSON object", e);
        }
    }

    private Producer<String, String> newProducer() {
        return new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
    }

    private Properties producerConfig() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-outbox-relay");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        int timeoutMs = (int) config.sendTimeout().toMillis();
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeoutMs / 2));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        return props;
    }

    private record Row(long id, String topic, String key, String payload, Map<String, String> headers) {}
}

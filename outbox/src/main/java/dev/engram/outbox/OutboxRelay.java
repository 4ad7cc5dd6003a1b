package dev.engram.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.core.kafka.Topics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Moves committed rows of one outbox table to Kafka, oldest first, and deletes them once the broker has acknowledged
 * them.
 *
 * <p>One worker thread per relay; across service replicas a PostgreSQL advisory lock ({@link
 * OutboxRelaySettings#lockKey()}), taken per batch, lets only one relay of the table publish at a time, which keeps
 * per-key order. Delivery is at least once: rows are deleted in the same transaction that locked them, after every
 * record of the batch was acknowledged, so a crash or a broker outage means a retry, never a loss. The producer is
 * idempotent, so retries inside one producer session cannot duplicate a record; a redelivery after a relay crash is
 * absorbed by the idempotent consumers.
 *
 * <p>A record the broker refuses for good (too large for the topic, an invalid topic name or record) cannot be sent
 * however often it is retried, and would hold back every later row. Such a row is moved to the table's dead-letter
 * table ({@link OutboxRelaySettings#deadLetterTable()}, the same columns and a {@code reason}), the relay's {@link
 * DeadLetterListener} runs in the same transaction (ingest-service marks the document {@code failed} there), and the
 * rows after it go on. Every other failure (the broker unreachable, a timeout, a rebalancing cluster) fails the whole
 * batch, which is retried: nothing is dead-lettered because the broker was briefly away.
 *
 * <p>Each record is published in an {@code OutboxRelay.publish} producer span whose parent is the trace context
 * stored with the row ({@link TraceHeaders}); the record carries the row's headers with that span's context.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #wakeUp()} after each commit that wrote rows, {@link #close()} at
 * shutdown. Thread-safe.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OutboxRelay.class.getName());

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

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Told of each row moved to the dead-letter table, inside the transaction that moves it. */
    @FunctionalInterface
    public interface DeadLetterListener {

        /**
         * Called on the relay's transaction, before it commits; a failure rolls the move back and the batch is
         * retried.
         *
         * @param connection the relay's connection (its transaction is open)
         * @param row the row as it was written
         * @param reason why the broker refused it
         */
        void deadLettered(Connection connection, OutboxRow row, String reason) throws SQLException;
    }

    private final DataSource dataSource;
    private final OutboxRelaySettings settings;
    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final String selectSql;
    private final String deleteSql;
    private final String deadLetterSql;
    private final DeadLetterListener deadLetterListener;

    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean running;
    private volatile Thread worker;
    private volatile String lastError;
    private volatile Producer<String, String> producer;

    /**
     * A relay that does nothing until {@link #start()}.
     *
     * @param dataSource connections to the database that holds the table (the relay opens and commits its own
     *     transactions; the connections need no particular schema or search path)
     * @param settings the table, lock key, Kafka producer properties and timings
     * @param openTelemetry for the publish spans and trace propagation; {@link OpenTelemetry#noop()} for none
     */
    public OutboxRelay(DataSource dataSource, OutboxRelaySettings settings, OpenTelemetry openTelemetry) {
        this(dataSource, settings, openTelemetry, (connection, row, reason) -> {});
    }

    /**
     * A relay that does nothing until {@link #start()}, and tells {@code deadLetterListener} of every row the broker
     * refuses for good.
     *
     * @param dataSource connections to the database that holds the table and its dead-letter table
     * @param settings the table, lock key, Kafka producer properties and timings
     * @param openTelemetry for the publish spans and trace propagation; {@link OpenTelemetry#noop()} for none
     * @param deadLetterListener runs in the transaction that moves a refused row to the dead-letter table
     */
    public OutboxRelay(
            DataSource dataSource,
            OutboxRelaySettings settings,
            OpenTelemetry openTelemetry,
            DeadLetterListener deadLetterListener) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.deadLetterListener = Objects.requireNonNull(deadLetterListener, "deadLetterListener");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
        this.tracer = openTelemetry.getTracer("dev.engram.outbox");
        this.selectSql = "select id, org_id, topic, record_key, payload, headers::text from " + settings.table()
                + " order by id limit ? for update";
        this.deleteSql = "delete from " + settings.table() + " where id = any(?)";
        this.deadLetterSql = "insert into " + settings.deadLetterTable()
                + " (id, org_id, topic, record_key, payload, headers, created_at, reason)"
                + " select id, org_id, topic, record_key, payload, headers, created_at, ? from " + settings.table()
                + " where id = ?";
    }

    /**
     * Creates the Kafka producer and starts the worker thread.
     *
     * @throws IllegalStateException if the relay was started before
     */
    public synchronized void start() {
        if (worker != null) {
            throw new IllegalStateException("outbox relay " + settings.name() + " was already started");
        }
        producer = newProducer();
        running = true;
        worker = Thread.ofPlatform().name(settings.name()).daemon().start(this::run);
    }

    /** Stops the worker (waiting up to 10 s for a batch in flight) and closes the producer. Idempotent. */
    @Override
    public synchronized void close() {
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
        Producer<String, String> current = producer;
        producer = null;
        if (current != null) {
            current.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the relay to look for rows now rather than at its next poll; call after a commit that wrote rows. */
    public void wakeUp() {
        wakeUps.release();
    }

    /** Whether the worker thread is alive. */
    public boolean isAlive() {
        Thread thread = worker;
        return running && thread != null && thread.isAlive();
    }

    /** Records relayed since start. */
    public long relayedCount() {
        return relayed.get();
    }

    /** Rows moved to the dead-letter table since start, because the broker refused them for good. */
    public long deadLetteredCount() {
        return deadLettered.get();
    }

    /** The last failure, if the most recent attempt failed; {@code null} after a success. */
    public String lastError() {
        return lastError;
    }

    /** The settings this relay runs with. */
    public OutboxRelaySettings settings() {
        return settings;
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            try {
                int sent;
                do {
                    sent = relayBatch();
                } while (sent >= settings.batchSize() && running);
                lastError = null;
                backoff = MIN_BACKOFF;
                wakeUps.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.log(
                        Level.WARNING,
                        "{0} attempt failed, retrying in {1} ms: {2}",
                        settings.name(),
                        backoff.toMillis(),
                        lastError);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
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
                Map<Row, String> refused = publish(rows);
                for (Map.Entry<Row, String> dead : refused.entrySet()) {
                    deadLetter(connection, dead.getKey(), dead.getValue());
                }
                delete(connection, rows);
                connection.commit();
                relayed.addAndGet(rows.size() - refused.size());
                deadLettered.addAndGet(refused.size());
                refused.forEach((row, reason) -> LOG.log(
                        Level.ERROR,
                        "{0}: the broker refused outbox row {1} (topic {2}) for good; moved to {3}: {4}",
                        settings.name(),
                        row.id,
                        row.record.topic(),
                        settings.deadLetterTable(),
                        reason));
                LOG.log(Level.DEBUG, "{0} relayed {1} record(s)", settings.name(), rows.size());
                return rows.size();
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Publishes the rows and waits for every acknowledgement. Returns the rows the broker refused for good, with why;
     * throws if any record failed otherwise, so the whole batch is retried.
     */
    private Map<Row, String> publish(List<Row> rows) throws Exception {
        TextMapPropagator propagator = openTelemetry.getPropagators().getTextMapPropagator();
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        List<Span> spans = new ArrayList<>(rows.size());
        Producer<String, String> current = producer;
        try {
            for (Row row : rows) {
                Context parent = propagator.extract(Context.root(), row.record.headers(), HEADERS);
                Span span = tracer.spanBuilder("OutboxRelay.publish")
                        .setParent(parent)
                        .setSpanKind(SpanKind.PRODUCER)
                        .setAttribute("messaging.system", "kafka")
                        .setAttribute("messaging.destination.name", row.record.topic())
                        .setAttribute("engram.outbox.table", settings.table())
                        .setAttribute("engram.outbox.id", row.id)
                        .startSpan();
                spans.add(span);
                Map<String, String> headers = new HashMap<>(row.record.headers());
                propagator.inject(Context.root().with(span), headers, Map::put);
                ProducerRecord<String, String> record =
                        new ProducerRecord<>(row.record.topic(), row.record.key(), row.record.payload());
                headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
                acks.add(current.send(record));
            }
            // The producer fails every record within its delivery timeout, so waiting a little longer than that
            // means no record of a failed batch can still be delivered behind our back and then again on retry.
            long deadline =
                    System.nanoTime() + settings.sendTimeout().plusSeconds(5).toNanos();
            Map<Row, String> refused = new LinkedHashMap<>();
            Exception retriable = null;
            for (int i = 0; i < acks.size(); i++) {
                try {
                    acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    if (refusedForGood(e.getCause())) {
                        refused.put(
                                rows.get(i),
                                e.getCause().getClass().getSimpleName() + ": "
                                        + e.getCause().getMessage());
                        spans.get(i)
                                .setStatus(
                                        StatusCode.ERROR,
                                        e.getCause().getClass().getSimpleName());
                    } else if (retriable == null) {
                        retriable = e;
                    }
                }
            }
            if (retriable != null) {
                throw retriable;
            }
            return refused;
        } catch (Exception e) {
            spans.forEach(span -> span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName()));
            if (acks.stream().anyMatch(ack -> !ack.isDone())) {
                // Should not happen (see above); if it does, abort what is pending rather than risk a duplicate.
                current.close(Duration.ZERO);
                producer = newProducer();
            }
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
    }

    /**
     * Whether the broker (or the producer, before sending) refused this record in a way no retry changes: it is too
     * large for the topic or the producer's limit, its topic name is invalid, or the broker found it invalid.
     */
    static boolean refusedForGood(Throwable cause) {
        return cause instanceof RecordTooLargeException
                || cause instanceof RecordBatchTooLargeException
                || cause instanceof InvalidTopicException
                || cause instanceof InvalidRecordException;
    }

    /** Copies a refused row to the dead-letter table with its reason and tells the listener, on the batch's transaction. */
    private void deadLetter(Connection connection, Row row, String reason) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(deadLetterSql)) {
            insert.setString(1, reason);
            insert.setLong(2, row.id);
            insert.executeUpdate();
        }
        deadLetterListener.deadLettered(connection, row.record, reason);
    }

    private boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, settings.lockKey());
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private List<Row> lockOldest(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(selectSql)) {
            select.setInt(1, settings.batchSize());
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(
                            result.getLong(1),
                            new OutboxRow(
                                    result.getString(2),
                                    result.getString(3),
                                    result.getString(4),
                                    result.getString(5),
                                    headers(result.getString(6)))));
                }
            }
        }
        return rows;
    }

    private void delete(Connection connection, List<Row> rows) throws SQLException {
        Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
        try (PreparedStatement delete = connection.prepareStatement(deleteSql)) {
            delete.setArray(1, connection.createArrayOf("bigint", ids));
            delete.executeUpdate();
        }
    }

    private static Map<String, String> headers(String jsonText) {
        if (jsonText == null) {
            return Map.of();
        }
        try {
            Map<String, String> headers = new HashMap<>();
            JSON.readTree(jsonText)
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
        props.put(ProducerConfig.CLIENT_ID_CONFIG, settings.name());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
        props.putAll(settings.producer());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        int timeoutMs = (int) settings.sendTimeout().toMillis();
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeoutMs / 2));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        return props;
    }

    /** A locked row: its id and what was written. */
    private record Row(long id, OutboxRow record) {}
}

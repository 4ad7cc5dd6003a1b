package dev.engram.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What one {@link OutboxRelay} relays and how.
 *
 * @param name names the relay's thread, its Kafka {@code client.id} and its log lines, e.g. {@code
 *     ingest-outbox-relay}
 * @param table the outbox table, schema-qualified, e.g. {@code ingest.outbox} (see {@link OutboxInserts#checkTable})
 * @param lockKey the PostgreSQL advisory-lock key that lets one relay of this table publish at a time; every replica
 *     of a service must use the same key, and relays of different tables should use different ones (see {@link
 *     #lockKeyOf})
 * @param producer Kafka producer properties; must hold {@code bootstrap.servers}, may add security settings or a
 *     {@code client.id}. The relay sets acknowledgements, idempotence, serializers and timeouts itself, since its
 *     delivery guarantee depends on them.
 * @param batchSize most rows relayed in one transaction
 * @param pollInterval how often the relay looks for rows when nothing wakes it ({@link OutboxRelay#wakeUp()} after a
 *     commit makes it look at once; the poll catches rows written by other replicas or left by a failed attempt)
 * @param sendTimeout how long the broker has to acknowledge a batch before the attempt fails and is retried (at
 *     least 1 s)
 * @param maxBackoff longest pause between attempts after repeated failures (the pause doubles from 100 ms up to it)
 */
public record OutboxRelaySettings(
        String name,
        String table,
        long lockKey,
        Map<String, Object> producer,
        int batchSize,
        Duration pollInterval,
        Duration sendTimeout,
        Duration maxBackoff) {

    /** Default {@link #batchSize()}. */
    public static final int DEFAULT_BATCH_SIZE = 200;

    /** Default {@link #pollInterval()}. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    /** Default {@link #sendTimeout()}. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(15);

    /** Default {@link #maxBackoff()}. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

    /** Checks the settings. */
    public OutboxRelaySettings {
        Objects.requireNonNull(name, "name");
        OutboxInserts.checkTable(table);
        producer = Map.copyOf(Objects.requireNonNull(producer, "producer"));
        if (!(producer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) instanceof String servers) || servers.isBlank()) {
            throw new IllegalArgumentException("producer properties need " + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
        }
        requirePositive(pollInterval, "pollInterval");
        requirePositive(sendTimeout, "sendTimeout");
        if (sendTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            // the producer's request timeout is half of it, at least 1 s, and must fit in the delivery timeout
            throw new IllegalArgumentException("sendTimeout must be at least 1s: " + sendTimeout);
        }
        requirePositive(maxBackoff, "maxBackoff");
    }

    /**
     * Settings with the defaults: batches of {@value #DEFAULT_BATCH_SIZE}, a poll every second, 15 s to send, at most
     * 5 s between failed attempts.
     *
     * @param name see {@link #name()}
     * @param table see {@link #table()}
     * @param lockKey see {@link #lockKey()}
     * @param bootstrapServers the Kafka brokers
     */
    public static OutboxRelaySettings of(String name, String table, long lockKey, String bootstrapServers) {
        return new OutboxRelaySettings(
                name,
                table,
                lockKey,
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                DEFAULT_BATCH_SIZE,
                DEFAULT_POLL_INTERVAL,
                DEFAULT_SEND_TIMEOUT,
                DEFAULT_MAX_BACKOFF);
    }

    /**
     * Where rows the broker refused for good are moved: the table's name with {@code _dead_letters} appended, e.g.
     * {@code ingest.outbox_dead_letters}. Same columns as the outbox table, plus {@code reason text not null}.
     */
    public String deadLetterTable() {
        return table + "_dead_letters";
    }

    /** These settings with another {@link #batchSize()}. */
    public OutboxRelaySettings withBatchSize(int batchSize) {
        return new OutboxRelaySettings(
                name, table, lockKey, producer, batchSize, pollInterval, sendTimeout, maxBackoff);
    }

    /** These settings with other timings. */
    public OutboxRelaySettings withTimings(Duration pollInterval, Duration sendTimeout, Duration maxBackoff) {
        return new OutboxRelaySettings(
                name, table, lockKey, producer, batchSize, pollInterval, sendTimeout, maxBackoff);
    }

    /** These settings with one more Kafka producer property (replacing one of the same name). */
    public OutboxRelaySettings withProducerProperty(String key, Object value) {
        Map<String, Object> properties = new LinkedHashMap<>(producer);
        properties.put(key, value);
        return new OutboxRelaySettings(
                name, table, lockKey, properties, batchSize, pollInterval, sendTimeout, maxBackoff);
    }

    /**
     * A stable advisory-lock key derived from a name (the first 8 bytes of its SHA-256), for a relay that has no key
     * of its own yet; e.g. {@code lockKeyOf("writer.outbox")}.
     */
    public static long lockKeyOf(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void requirePositive(Duration duration, String field) {
        Objects.requireNonNull(duration, field);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(field + " must be positive: " + duration);
        }
    }
}

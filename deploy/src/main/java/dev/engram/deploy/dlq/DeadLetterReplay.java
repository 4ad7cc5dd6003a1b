package dev.engram.deploy.dlq;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads a dead-letter topic ({@code <topic>.dlq}) and sends its records back to the topic they came from.
 *
 * <p>The services write dead letters with headers naming where they came from: memory-writer's {@code
 * engram.dlq.topic}, {@code .partition}, {@code .offset}, {@code .stage}, {@code .reason}, {@code .exception};
 * ingest-service's {@code dead-letter-topic} and {@code dead-letter-reason}. A replayed record keeps its value, key and
 * other headers (the trace context among them), loses those, and gains {@code engram.dlq.replayed-from}
 * ({@code <dlq topic>/<partition>/<offset>}).
 *
 * <p>Replay moves a consumer group of its own ({@value #DEFAULT_GROUP} unless told) past each record once the broker
 * acknowledged its copy, so a record is replayed once. Records of the stage {@code extracting_memories} are passed over:
 * they name an extraction job, they are not events (memory-writer retries such jobs on the next change to the
 * document).
 */
public final class DeadLetterReplay implements AutoCloseable {

    /** The consumer group whose committed offsets mark what was replayed. */
    public static final String DEFAULT_GROUP = "engram-dlq-replay";

    /** Header added to a replayed record. */
    public static final String REPLAYED_FROM = "engram.dlq.replayed-from";

    static final String STAGE = "engram.dlq.stage";
    static final String REASON = "engram.dlq.reason";
    static final String EXCEPTION = "engram.dlq.exception";
    static final String TOPIC = "engram.dlq.topic";
    static final String OFFSET = "engram.dlq.offset";
    static final String INGEST_TOPIC = "dead-letter-topic";
    static final String INGEST_REASON = "dead-letter-reason";
    static final String NOT_EVENTS_STAGE = "extracting_memories";
    static final String DLQ_SUFFIX = ".dlq";

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final String group;

    /**
     * A dead letter as listed.
     *
     * @param partition its partition in the dead-letter topic
     * @param offset its offset there
     * @param key its key (the container tag)
     * @param originalTopic the topic it came from
     * @param originalOffset its offset there, or {@code ""} when not recorded
     * @param stage where it failed ({@code ""} for ingest-service's)
     * @param exception the exception class ({@code ""} when not recorded)
     * @param reason why it failed
     * @param valueBytes the size of its value
     * @param replayed whether the group has passed it already
     */
    public record DeadLetter(
            int partition,
            long offset,
            String key,
            String originalTopic,
            String originalOffset,
            String stage,
            String exception,
            String reason,
            int valueBytes,
            boolean replayed) {}

    /**
     * What a replay did.
     *
     * @param replayed the dead letters sent back to their topics
     * @param skipped the dead letters passed over (not events)
     */
    public record Outcome(List<DeadLetter> replayed, List<DeadLetter> skipped) {}

    /**
     * @param bootstrapServers the brokers
     * @param group the consumer group marking what was replayed
     */
    public DeadLetterReplay(String bootstrapServers, String group) {
        requireNonNull(bootstrapServers, "bootstrapServers");
        this.group = requireNonNull(group, "group");
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
    }

    /** Up to {@code limit} dead letters of {@code dlqTopic} from its start, each marked replayed or not. */
    public List<DeadLetter> list(String dlqTopic, int limit) {
        List<TopicPartition> partitions = assign(dlqTopic);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
        consumer.seekToBeginning(partitions);
        List<DeadLetter> found = new ArrayList<>();
        for (ConsumerRecord<String, String> record : readToEnd(partitions, limit)) {
            OffsetAndMetadata mark = committed.get(new TopicPartition(record.topic(), record.partition()));
            found.add(describe(record, mark != null && record.offset() < mark.offset()));
        }
        return found;
    }

    /**
     * Sends the next {@code limit} dead letters the group has not passed back to their original topics, committing the
     * group's offset after each acknowledged send.
     */
    public Outcome replay(String dlqTopic, int limit) {
        List<TopicPartition> partitions = assign(dlqTopic);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata mark = committed.get(partition);
            if (mark == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, mark.offset());
            }
        }
        List<DeadLetter> replayed = new ArrayList<>();
        List<DeadLetter> skipped = new ArrayList<>();
        for (ConsumerRecord<String, String> record : readToEnd(partitions, limit)) {
            DeadLetter letter = describe(record, false);
            if (NOT_EVENTS_STAGE.equals(letter.stage())) {
                skipped.add(letter);
            } else {
                send(record, letter.originalTopic());
                replayed.add(letter);
            }
            consumer.commitSync(Map.of(
                    new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1)));
        }
        return new Outcome(replayed, skipped);
    }

    private void send(ConsumerRecord<String, String> record, String topic) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("engram.dlq.") && !header.key().startsWith("dead-letter-")) {
                headers.add(header);
            }
        }
        headers.add(
                REPLAYED_FROM,
                (record.topic() + "/" + record.partition() + "/" + record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not replay to " + topic + ": " + e.getMessage(), e);
        }
    }

    private List<TopicPartition> assign(String dlqTopic) {
        if (!dlqTopic.endsWith(DLQ_SUFFIX)) {
            throw new IllegalArgumentException("not a dead-letter topic (<topic>" + DLQ_SUFFIX + "): " + dlqTopic);
        }
        List<PartitionInfo> infos = consumer.partitionsFor(dlqTopic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("no such topic: " + dlqTopic);
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(dlqTopic, info.partition()))
                .toList();
        consumer.assign(partitions);
        return partitions;
    }

    /** Reads from the current positions up to the end offsets seen now, at most {@code limit} records. */
    private List<ConsumerRecord<String, String>> readToEnd(Collection<TopicPartition> partitions, int limit) {
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        while (read.size() < limit && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (read.size() < limit && record.offset() < end.get(partition)) {
                    read.add(record);
                }
            }
            if (read.size() >= limit) {
                break;
            }
        }
        // positions may be past what was taken; replay seeks again from the committed offsets next time
        return read;
    }

    private static DeadLetter describe(ConsumerRecord<String, String> record, boolean replayed) {
        String original = header(record, TOPIC);
        if (original.isEmpty()) {
            original = header(record, INGEST_TOPIC);
        }
        if (original.isEmpty()) {
            original = record.topic().substring(0, record.topic().length() - DLQ_SUFFIX.length());
        }
        String reason = header(record, REASON);
        return new DeadLetter(
                record.partition(),
                record.offset(),
                record.key(),
                original,
                header(record, OFFSET),
                header(record, STAGE),
                header(record, EXCEPTION),
                reason.isEmpty() ? header(record, INGEST_REASON) : reason,
                record.value() == null ? 0 : record.value().getBytes(StandardCharsets.UTF_8).length,
                replayed);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The consumer group marking what was replayed. */
    public String group() {
        return group;
    }

    @Override
    public void close() {
        consumer.close();
        producer.close();
    }
}

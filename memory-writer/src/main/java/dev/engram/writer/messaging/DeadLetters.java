package dev.engram.writer.messaging;

import dev.engram.core.kafka.Topics;
import dev.engram.writer.pipeline.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends what could not be processed to the dead-letter topic beside its source ({@code engram.documents.v1.dlq} or
 * {@code engram.conversations.v1.dlq}), unchanged, with headers naming where it came
 * from and what failed: {@code engram.dlq.stage}, {@code .reason}, {@code .exception}, {@code .topic},
 * {@code .partition}, {@code .offset}. A replay tool can send the value back to the original topic as it is.
 * Each acknowledged dead letter counts in {@code engram_writer_dead_letters_total{topic, stage}} (the dead-letter
 * topic and the stage: both a handful of values).
 */
@ApplicationScoped
public class DeadLetters {

    /** Header names. */
    public static final String STAGE = "engram.dlq.stage";

    public static final String REASON = "engram.dlq.reason";
    public static final String EXCEPTION = "engram.dlq.exception";
    public static final String TOPIC = "engram.dlq.topic";
    public static final String PARTITION = "engram.dlq.partition";
    public static final String OFFSET = "engram.dlq.offset";

    /** Metric name of the dead letters sent. */
    public static final String METRIC = "engram.writer.dead.letters";

    @Inject
    @Channel(Channels.DEAD_LETTERS)
    MutinyEmitter<String> emitter;

    @Inject
    @Channel(Channels.CONVERSATION_DEAD_LETTERS)
    MutinyEmitter<String> conversationEmitter;

    @Inject
    MeterRegistry registry;

    /** Completes when the broker acknowledged the dead letter. */
    public Uni<Void> send(SourceRecord source, Stage stage, String reason, String exceptionClass) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, STAGE, stage.wireName());
        header(headers, REASON, reason);
        header(headers, EXCEPTION, exceptionClass);
        header(headers, TOPIC, source.topic());
        header(headers, PARTITION, Integer.toString(source.partition()));
        header(headers, OFFSET, Long.toString(source.offset()));
        Message<String> message = Message.of(source.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(source.key())
                        .withHeaders(headers)
                        .build());
        boolean conversation = Topics.CONVERSATIONS.equals(source.topic());
        Counter sent = Counter.builder(METRIC)
                .description("Records sent to a dead-letter topic")
                .tag("topic", Topics.dlq(conversation ? Topics.CONVERSATIONS : Topics.DOCUMENTS))
                .tag("stage", stage.wireName())
                .register(registry);
        return (conversation ? conversationEmitter : emitter)
                .sendMessage(message)
                .invoke(() -> sent.increment());
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Where a record came from.
     *
     * @param topic original topic
     * @param partition original partition
     * @param offset original offset
     * @param key original key
     * @param value original value, unchanged
     */
    public record SourceRecord(String topic, int partition, long offset, String key, String value) {

        /** Where a consumed record came from. */
        public static SourceRecord of(KafkaRecord<String, String> record) {
            long offset = record.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(IncomingKafkaRecordMetadata::getOffset)
                    .orElse(-1L);
            return new SourceRecord(
                    record.getTopic(), record.getPartition(), offset, record.getKey(), record.getPayload());
        }

        /** Where a record of a plain Kafka consumer came from. */
        public static SourceRecord of(ConsumerRecord<String, String> record) {
            return new SourceRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value());
        }
    }
}

package dev.engram.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaTestResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the document events of one document from the test broker's {@code engram.documents.v1}, every partition
 * from the beginning, without a consumer group (no rebalance to wait for).
 */
public final class DocumentTopic {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private DocumentTopic() {}

    /**
     * Waits until at least {@code count} events of {@code documentId} are on the topic and returns every one read by
     * then, in log order (per partition). Fails if fewer arrive within the timeout.
     */
    public static List<ConsumerRecord<String, String>> awaitRecords(String documentId, int count) {
        List<ConsumerRecord<String, String>> matched = new ArrayList<>();
        try (var consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DOCUMENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (matched.size() < count && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value().contains(documentId)
                            && documentId.equals(event(record).documentId())) {
                        matched.add(record);
                    }
                }
            }
        }
        assertThat(matched)
                .as("events of document %s on %s", documentId, Topics.DOCUMENTS)
                .hasSizeGreaterThanOrEqualTo(count);
        return matched;
    }

    /** Like {@link #awaitRecords}, deserialised. */
    public static List<DocumentEvent> awaitEvents(String documentId, int count) {
        return awaitRecords(documentId, count).stream()
                .map(DocumentTopic::event)
                .toList();
    }

    /** The event a record carries. */
    public static DocumentEvent event(ConsumerRecord<String, String> record) {
        return EventJson.read(record.value(), DocumentEvent.class);
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}

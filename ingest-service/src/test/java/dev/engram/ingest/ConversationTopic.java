package dev.engram.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.events.ConversationEvent;
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
 * Reads the events of one conversation document from the test broker's {@code engram.conversations.v1}, every
 * partition from the beginning, without a consumer group.
 */
public final class ConversationTopic {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private ConversationTopic() {}

    /**
     * Waits until at least {@code count} events of {@code documentId} are on the topic and returns every one read by
     * then, in log order (one container tag is one partition). Fails if fewer arrive within the timeout.
     */
    public static List<ConsumerRecord<String, String>> awaitRecords(String documentId, int count) {
        List<ConsumerRecord<String, String>> matched = new ArrayList<>();
        try (var consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONVERSATIONS).stream()
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
                .as("events of document %s on %s", documentId, Topics.CONVERSATIONS)
                .hasSizeGreaterThanOrEqualTo(count);
        return matched;
    }

    /** Like {@link #awaitRecords}, deserialised. */
    public static List<ConversationEvent> awaitEvents(String documentId, int count) {
        return awaitRecords(documentId, count).stream()
                .map(ConversationTopic::event)
                .toList();
    }

    /** The event a record carries. */
    public static ConversationEvent event(ConsumerRecord<String, String> record) {
        return EventJson.read(record.value(), ConversationEvent.class);
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

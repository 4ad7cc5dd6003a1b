package dev.engram.core.kafka;

import java.time.Duration;
import java.util.List;

/**
 * The catalogue of Engram's Kafka topics. Names follow {@code engram.<things>.v<major>}; every consumed topic has a
 * dead-letter topic beside it named {@code <topic>.dlq}. Services create the topics they use from this catalogue at
 * start-up (brokers run with auto-creation off), so partition counts and retention are decided in one place.
 */
public final class Topics {

    /** Documents to (re)process: key = container tag. */
    public static final String DOCUMENTS = "engram.documents.v1";

    /** Conversation turns to turn into memories: key = container tag. */
    public static final String CONVERSATIONS = "engram.conversations.v1";

    /** Direct memory operations (create, update, forget): key = container tag. */
    public static final String MEMORY_COMMANDS = "engram.memory-commands.v1";

    /** Status changes of document processing: key = container tag. */
    public static final String PROCESSING_STATUS = "engram.processing-status.v1";

    /** Suffix of dead-letter topics. */
    public static final String DLQ_SUFFIX = ".dlq";

    /**
     * Largest record any topic takes and any producer sends, in bytes of the serialised value (16 MiB). Events carry
     * a document's text (at most 1 MiB of UTF-8) or a conversation's transcript (1 MB) inline, and JSON can write a
     * byte as up to six ({@code \u0001}); Kafka's defaults (1 MiB) refused a document at the API's own limit and
     * held every later event of the outbox behind it.
     */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    /** Partitions of the work topics: the ceiling on memory-writer's parallelism (one consumer per partition). */
    public static final int WORK_PARTITIONS = 6;

    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);

    private Topics() {}

    /** The dead-letter topic beside {@code topic}. */
    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /** Every topic Engram uses, with its settings. */
    public static List<TopicSpec> all() {
        return List.of(
                new TopicSpec(DOCUMENTS, WORK_PARTITIONS, WEEK),
                new TopicSpec(dlq(DOCUMENTS), 1, MONTH),
                new TopicSpec(CONVERSATIONS, WORK_PARTITIONS, WEEK),
                new TopicSpec(dlq(CONVERSATIONS), 1, MONTH),
                new TopicSpec(MEMORY_COMMANDS, WORK_PARTITIONS, WEEK),
                new TopicSpec(dlq(MEMORY_COMMANDS), 1, MONTH),
                new TopicSpec(PROCESSING_STATUS, WORK_PARTITIONS, WEEK),
                new TopicSpec(dlq(PROCESSING_STATUS), 1, MONTH));
    }

    /**
     * The specs of the named topics.
     *
     * @throws IllegalArgumentException if a name is not in the catalogue
     */
    public static List<TopicSpec> named(List<String> names) {
        return names.stream()
                .map(name -> all().stream()
                        .filter(spec -> spec.name().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("not an Engram topic: " + name)))
                .toList();
    }
}

package dev.engram.deploy.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.embedded.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DLQ tool against the embedded broker, with dead letters shaped as memory-writer and ingest-service write them. */
class DeadLetterReplayTest {

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start(new EmbeddedKafka.Options(dir.resolve("kafka"), 0, 0));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void replaySendsEachDeadLetterBackOnceWithItsKeyValueAndTraceHeaders() throws Exception {
        String topic = "engram.documents.v1." + UUID.randomUUID().toString().substring(0, 8);
        String dlq = topic + ".dlq";
        createTopics(topic, dlq);
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        send(
                dlq,
                "user_a",
                "{\"event\":1}",
                Map.of(
                        "traceparent",
                        traceparent,
                        DeadLetterReplay.TOPIC,
                        topic,
                        DeadLetterReplay.OFFSET,
                        "41",
                        DeadLetterReplay.STAGE,
                        "embedding",
                        DeadLetterReplay.EXCEPTION,
                        "java.io.IOException",
                        DeadLetterReplay.REASON,
                        "the model was not reachable"));
        send(
                dlq,
                "user_a",
                "{\"job\":1}",
                Map.of(DeadLetterReplay.TOPIC, topic, DeadLetterReplay.STAGE, "extracting_memories"));
        send(dlq, "user_b", "{\"event\":2}", Map.of(DeadLetterReplay.TOPIC, topic, DeadLetterReplay.STAGE, "indexing"));

        try (DeadLetterReplay replay = new DeadLetterReplay(kafka.bootstrapServers(), "test-" + topic)) {
            assertThat(replay.list(dlq, 10))
                    .extracting(DeadLetterReplay.DeadLetter::stage, DeadLetterReplay.DeadLetter::replayed)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("embedding", false),
                            org.assertj.core.groups.Tuple.tuple("extracting_memories", false),
                            org.assertj.core.groups.Tuple.tuple("indexing", false));

            DeadLetterReplay.Outcome first = replay.replay(dlq, 1);
            assertThat(first.replayed())
                    .extracting(DeadLetterReplay.DeadLetter::offset)
                    .containsExactly(0L);
            DeadLetterReplay.Outcome rest = replay.replay(dlq, 10);
            assertThat(rest.replayed())
                    .extracting(DeadLetterReplay.DeadLetter::offset)
                    .containsExactly(2L);
            assertThat(rest.skipped())
                    .extracting(DeadLetterReplay.DeadLetter::offset)
                    .containsExactly(1L);
            assertThat(replay.replay(dlq, 10).replayed()).isEmpty();
            assertThat(replay.list(dlq, 10)).allMatch(DeadLetterReplay.DeadLetter::replayed);
        }

        List<ConsumerRecord<String, String>> replayed = readAll(topic);
        assertThat(replayed).extracting(ConsumerRecord::value).containsExactly("{\"event\":1}", "{\"event\":2}");
        ConsumerRecord<String, String> record = replayed.get(0);
        assertThat(record.key()).isEqualTo("user_a");
        assertThat(header(record, "traceparent")).isEqualTo(traceparent);
        assertThat(header(record, DeadLetterReplay.REPLAYED_FROM)).isEqualTo(dlq + "/0/0");
        assertThat(record.headers().headers(DeadLetterReplay.STAGE)).isEmpty();
        assertThat(record.headers().headers(DeadLetterReplay.TOPIC)).isEmpty();
    }

    @Test
    void ingestServicesDeadLettersGoBackToTheTopicTheirHeaderNames() throws Exception {
        String topic =
                "engram.processing-status.v1." + UUID.randomUUID().toString().substring(0, 8);
        createTopics(topic, topic + ".dlq");
        send(
                topic + ".dlq",
                null,
                "{\"status\":\"done\"}",
                Map.of(DeadLetterReplay.INGEST_TOPIC, topic, DeadLetterReplay.INGEST_REASON, "not a valid event"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = DeadLetterCommand.run(
                new String[] {"replay", topic + ".dlq", "--bootstrap", kafka.bootstrapServers(), "--group", "g-" + topic
                },
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("replayed 0/0", "from=" + topic, "reason=not a valid event", "1 replayed, 0 skipped");
        assertThat(readAll(topic)).extracting(ConsumerRecord::value).containsExactly("{\"status\":\"done\"}");
    }

    @Test
    void badArgumentsExitWithUsageAndTouchNothing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(DeadLetterCommand.run(new String[] {"replay"}, Map.of(), System.out, errStream))
                .isEqualTo(2);
        assertThat(DeadLetterCommand.run(
                        new String[] {"list", "x.dlq", "--limit", "0"}, Map.of(), System.out, errStream))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: dlq list|replay");
    }

    private static void createTopics(String... names) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, 1, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    private static void send(String topic, String key, String value, Map<String, String> headers) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            RecordHeaders recordHeaders = new RecordHeaders();
            headers.forEach((name, v) -> recordHeaders.add(name, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, 0, key, value, recordHeaders))
                    .get();
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(read::add);
            }
            return read;
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

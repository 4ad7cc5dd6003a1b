package dev.engram.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(new EmbeddedKafka.Options(dataDir.resolve("kafka"), 0, 0));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void producedRecordIsConsumedThroughTheBroker() throws Exception {
        String topic = createTopic(kafka);

        produce(kafka, topic, "tag-1", "hello");

        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
        assertThat(consumeAll(kafka, topic, 1)).containsExactly("tag-1=hello");
    }

    @Test
    void restartKeepsThePortTheClusterIdAndTheCommittedRecords() throws Exception {
        String topic = createTopic(kafka);
        produce(kafka, topic, "tag-2", "before restart");
        String bootstrap = kafka.bootstrapServers();
        String clusterId = describeClusterId(kafka);

        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        kafka.restart();

        assertThat(kafka.isRunning()).isTrue();
        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
        assertThat(describeClusterId(kafka)).isEqualTo(clusterId).isEqualTo(kafka.clusterId());
        assertThat(consumeAll(kafka, topic, 1)).containsExactly("tag-2=before restart");
    }

    @Test
    void producingToAMissingTopicFailsBecauseTopicsAreNeverAutoCreated() throws Exception {
        String topic = "missing-" + UUID.randomUUID();
        Map<String, Object> config = producerConfig(kafka);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_500);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            assertThatThrownBy(() ->
                            producer.send(new ProducerRecord<>(topic, "k", "v")).get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining(topic);
        }
        try (Admin admin = admin(kafka)) {
            assertThat(admin.listTopics().names().get()).doesNotContain(topic);
        }
    }

    @Test
    void aSecondBrokerOnTheSameDataDirectoryReusesClusterAndTopics(@TempDir Path dir) throws Exception {
        String topic;
        String clusterId;
        try (EmbeddedKafka first = EmbeddedKafka.start(new EmbeddedKafka.Options(dir, 0, 0))) {
            topic = createTopic(first);
            produce(first, topic, "tag-3", "kept on disk");
            clusterId = first.clusterId();
        }

        try (EmbeddedKafka second = EmbeddedKafka.start(new EmbeddedKafka.Options(dir, 0, 0))) {
            assertThat(second.clusterId()).isEqualTo(clusterId);
            assertThat(describeClusterId(second)).isEqualTo(clusterId);
            assertThat(consumeAll(second, topic, 1)).containsExactly("tag-3=kept on disk");
        }
    }

    @Test
    void startingOnAPortInUseFailsRightAwayNamingThePort(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafka.start(new EmbeddedKafka.Options(dir, port, 0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + port + " is already in use");
        }
    }

    @Test
    void optionsRejectBadPorts() {
        assertThatThrownBy(() -> new EmbeddedKafka.Options(dataDir, -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmbeddedKafka.Options(dataDir, 9092, 9092))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmbeddedKafka.Options(null, 0, 0)).isInstanceOf(NullPointerException.class);
    }

    private static String createTopic(EmbeddedKafka broker) throws ExecutionException, InterruptedException {
        String topic = "engram.test-" + UUID.randomUUID();
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private static String describeClusterId(EmbeddedKafka broker) throws ExecutionException, InterruptedException {
        try (Admin admin = admin(broker)) {
            return admin.describeCluster().clusterId().get();
        }
    }

    private static void produce(EmbeddedKafka broker, String topic, String key, String value) throws Exception {
        Map<String, Object> config = producerConfig(broker);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<String> consumeAll(EmbeddedKafka broker, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class);
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.key() + "=" + record.value());
                }
            }
        }
        return received;
    }

    private static Map<String, Object> producerConfig(EmbeddedKafka broker) {
        return new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    private static Admin admin(EmbeddedKafka broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}

package dev.engram.writer.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.IngestTables;
import dev.engram.writer.config.WriterConfig;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The document topic's own consumer loop against the real broker: what it commits, and what readiness says. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Inject
    WriterConfig config;

    @BeforeAll
    static void ingestTables() {
        IngestTables.create();
    }

    @Test
    void theGroupsOffsetsReachTheEndOfTheTopicOnceItsEventsAreProcessed() {
        String id = "doc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        IngestTables.document(id, 1);
        kafka.send(Topics.DOCUMENTS, "user_offsets", "{\"not\":\"an event\""); // dead-lettered: finished all the same
        kafka.send(
                Topics.DOCUMENTS,
                "user_offsets",
                EventJson.write(DocumentEvent.upsert(
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        "user_offsets",
                        "org_default",
                        id,
                        1,
                        null,
                        "Offsets are committed once the batch is done.",
                        Map.of())));

        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers()))) {
            Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                Map<TopicPartition, Long> ends = ends(admin);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                config.documents().group())
                        .partitionsToOffsetAndMetadata()
                        .get();
                assertThat(ends).isNotEmpty();
                ends.forEach((partition, end) -> {
                    if (end > 0) {
                        assertThat(committed.get(partition))
                                .as("committed offset of %s", partition)
                                .isNotNull()
                                .extracting(OffsetAndMetadata::offset)
                                .isEqualTo(end);
                    }
                });
            });
        }
    }

    @Test
    void readinessReportsTheConsumerUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body(containsString("document consumer"));
    }

    private static Map<TopicPartition, Long> ends(Admin admin) throws Exception {
        Set<TopicPartition> partitions = admin
                .describeTopics(Set.of(Topics.DOCUMENTS))
                .allTopicNames()
                .get()
                .get(Topics.DOCUMENTS)
                .partitions()
                .stream()
                .map(p -> new TopicPartition(Topics.DOCUMENTS, p.partition()))
                .collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> latest =
                partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}

package dev.engram.ingest.documents;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.IngestTestProfile;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Status events from the real broker move documents forward, and only forward. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ProcessingStatusConsumerTest {

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Test
    void statusEventsAdvanceTheDocumentAndStaleOrBackwardEventsChangeNothing() {
        String id = add("user_status");

        publish(id, "user_status", 1, DocumentStatus.EMBEDDING, null);
        awaitStatus(id, "embedding");

        publish(id, "user_status", 1, DocumentStatus.EXTRACTING, null); // backwards: ignored
        publish(id, "user_status", 7, DocumentStatus.DONE, null); // another revision: ignored
        publish(id, "user_status", 1, DocumentStatus.INDEXING, null); // forward: applied
        awaitStatus(id, "indexing");

        publish(id, "user_status", 1, DocumentStatus.DONE, null);
        awaitStatus(id, "done");
        publish(id, "user_status", 1, DocumentStatus.FAILED, "late failure"); // after a terminal status: ignored
        publish(id, "user_status", 1, DocumentStatus.DONE, null); // a redelivery: no change
        // The events of one tag are consumed in order; this marker proves the ones before it were consumed.
        String marker = add("user_status");
        publish(marker, "user_status", 1, DocumentStatus.CHUNKING, null);
        awaitStatus(marker, "chunking");

        assertThat(status(id)).isEqualTo("done");
    }

    @Test
    void aDocumentsWholeRunInOneBatchLeavesTheLastStatusWithTitleTypeAndChunkCount() {
        String id = add("user_run");
        Instant at = Instant.parse("2026-01-02T03:04:05Z");

        // Sent back to back, so the consumer sees most of them in one poll and folds them onto the row.
        send(id, "user_run", DocumentStatus.EXTRACTING, null, null, null, at);
        send(id, "user_run", DocumentStatus.CHUNKING, "A title", "text", null, at.plusSeconds(1));
        send(id, "user_run", DocumentStatus.EMBEDDING, null, null, null, at.plusSeconds(2));
        send(id, "user_run", DocumentStatus.CHUNKING, "stale title", "pdf", 99, at.plusSeconds(3)); // backwards
        send(id, "user_run", DocumentStatus.INDEXING, null, null, null, at.plusSeconds(4));
        send(id, "user_run", DocumentStatus.DONE, null, null, 3, at.plusSeconds(5));
        awaitStatus(id, "done");

        var document = given().header("Authorization", IngestTestProfile.BEARER)
                .get("/v3/documents/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(document.getString("title")).isEqualTo("A title");
        assertThat(document.getString("type")).isEqualTo("text");
        assertThat(document.getInt("chunkCount")).isEqualTo(3);
        assertThat(document.getString("updatedAt")).startsWith("2026-01-02T03:04:10");
    }

    @Test
    void failedStatusCarriesItsReason() {
        String id = add("user_fail");

        publish(id, "user_fail", 1, DocumentStatus.FAILED, "content could not be fetched: 404");

        awaitStatus(id, "failed");
    }

    @Test
    void malformedStatusEventGoesToTheDeadLetterTopic() {
        String poison = "{\"not\":\"a status event " + UUID.randomUUID() + "\"}";

        kafka.send(Topics.PROCESSING_STATUS, "user_poison", poison);

        var dead = kafka.awaitAny(
                Topics.dlq(Topics.PROCESSING_STATUS), r -> poison.equals(r.value()), Duration.ofSeconds(20));
        assertThat(dead).hasSize(1);
        assertThat(KafkaProbe.header(dead.get(0), "dead-letter-reason")).contains("ProcessingStatusEvent");
    }

    private void publish(String id, String tag, long revision, DocumentStatus status, String reason) {
        var event = ProcessingStatusEvent.of(
                UUID.randomUUID().toString(), Instant.now(), tag, "org_default", id, revision, status, reason);
        kafka.send(Topics.PROCESSING_STATUS, tag, EventJson.write(event));
    }

    private void send(
            String id, String tag, DocumentStatus status, String title, String type, Integer chunks, Instant at) {
        var event = new ProcessingStatusEvent(
                UUID.randomUUID().toString(),
                at,
                ProcessingStatusEvent.SCHEMA_VERSION,
                tag,
                "org_default",
                id,
                1,
                status,
                null,
                title,
                type,
                chunks,
                null);
        kafka.send(Topics.PROCESSING_STATUS, tag, EventJson.write(event));
    }

    private static String add(String tag) {
        return given().header("Authorization", IngestTestProfile.BEARER)
                .contentType(ContentType.JSON)
                .body(Map.of("content", "status test", "containerTag", tag))
                .post("/v3/documents")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
    }

    private static String status(String id) {
        return given().header("Authorization", IngestTestProfile.BEARER)
                .get("/v3/documents/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("status");
    }

    private static void awaitStatus(String id, String expected) {
        await().atMost(Duration.ofSeconds(20)).until(() -> expected.equals(status(id)));
    }
}

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

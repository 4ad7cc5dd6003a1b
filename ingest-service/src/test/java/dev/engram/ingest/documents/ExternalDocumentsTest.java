package dev.engram.ingest.documents;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.DocumentTopic;
import dev.engram.ingest.IngestTestProfile;
import dev.engram.ingest.TestDatabase;
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

/** Documents published straight to engram.documents.v1 by another producer appear in the API. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ExternalDocumentsTest {

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Test
    void documentEventFromAnotherProducerCreatesTheDocument() {
        String id = "ext_" + UUID.randomUUID().toString().replace("-", "");

        kafka.send(Topics.DOCUMENTS, "user_ext", EventJson.write(event(id)));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == 200);
        given().header("Authorization", IngestTestProfile.BEARER)
                .get("/v3/documents/" + id)
                .then()
                .body("content", equalTo("Published by another producer."))
                .body("status", equalTo("queued"))
                .body("containerTags[0]", equalTo("user_ext"))
                .body("metadata.origin", equalTo("pipeline"));
    }

    @Test
    void statusArrivingBeforeTheDocumentEventIsKeptAndTheContentFilledInLater() {
        String id = "ext_" + UUID.randomUUID().toString().replace("-", "");
        var done = ProcessingStatusEvent.of(
                UUID.randomUUID().toString(),
                Instant.now(),
                "user_ext",
                "org_default",
                id,
                1,
                DocumentStatus.DONE,
                null);

        kafka.send(Topics.PROCESSING_STATUS, "user_ext", EventJson.write(done));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == 200);
        kafka.send(Topics.DOCUMENTS, "user_ext", EventJson.write(event(id)));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", IngestTestProfile.BEARER)
                        .get("/v3/documents/" + id)
                        .then()
                        .body("status", equalTo("done"))
                        .body("content", equalTo("Published by another producer.")));
    }

    @Test
    void originOfAnExternalDocumentIsStoredAndKeptWhenThePatchRepublishesIt() {
        String id = "ext_" + UUID.randomUUID().toString().replace("-", "");
        DocumentEvent plain = event(id);
        DocumentEvent lightSource = new DocumentEvent(
                plain.eventId(),
                plain.occurredAt(),
                DocumentEvent.SCHEMA_VERSION,
                plain.containerTag(),
                plain.orgId(),
                id,
                1,
                null,
                "Ana prefers dark mode.",
                Map.of(),
                DocumentOperation.UPSERT,
                "text",
                null,
                null,
                null,
                null,
                null,
                DocumentEvent.ORIGIN_MEMORIES);

        kafka.send(Topics.DOCUMENTS, "user_ext", EventJson.write(lightSource));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == 200);
        assertThat(TestDatabase.query("select origin from ingest.documents where id = ?", id)
                        .get(0)
                        .get("origin"))
                .isEqualTo("memories");

        given().header("Authorization", IngestTestProfile.BEARER)
                .contentType(ContentType.JSON)
                .body(Map.of("metadata", Map.of("k", "v")))
                .patch("/v3/documents/" + id)
                .then()
                .statusCode(200);

        var events = DocumentTopic.awaitEvents(id, 2);
        assertThat(events.get(events.size() - 1).operation()).isEqualTo(DocumentOperation.METADATA);
        assertThat(events.get(events.size() - 1).origin()).isEqualTo(DocumentEvent.ORIGIN_MEMORIES);
    }

    /**
     * An event whose text PostgreSQL cannot store (NUL in its content or metadata) failed the polled batch, which
     * stopped the channel for good (the service then reported itself not live). Now that event alone is skipped;
     * memory-writer fails the document and dead-letters it.
     */
    @Test
    void anEventPostgresRefusesIsSkippedAndTheEventsAfterItStillArrive() {
        String nulContent = "ext_" + UUID.randomUUID().toString().replace("-", "");
        String nulMetadata = "ext_" + UUID.randomUUID().toString().replace("-", "");
        String fine = "ext_" + UUID.randomUUID().toString().replace("-", "");
        DocumentEvent withNul = DocumentEvent.upsert(
                UUID.randomUUID().toString(),
                Instant.now(),
                "user_ext",
                "org_default",
                nulContent,
                1,
                null,
                "before\u0000after",
                Map.of());
        DocumentEvent withNulMetadata = DocumentEvent.upsert(
                UUID.randomUUID().toString(),
                Instant.now(),
                "user_ext",
                "org_default",
                nulMetadata,
                1,
                null,
                "text",
                Map.of("source", "a\u0000b"));

        kafka.send(Topics.DOCUMENTS, "user_ext", EventJson.write(withNul));
        kafka.send(Topics.DOCUMENTS, "user_ext", EventJson.write(withNulMetadata));
        kafka.send(Topics.DOCUMENTS, "user_ext", EventJson.write(event(fine)));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(fine) == 200);
        assertThat(status(nulContent)).isEqualTo(404);
        assertThat(status(nulMetadata)).isEqualTo(404);
        given().get("/q/health/live").then().statusCode(200);
    }

    private static DocumentEvent event(String id) {
        return DocumentEvent.upsert(
                UUID.randomUUID().toString(),
                Instant.now(),
                "user_ext",
                "org_default",
                id,
                1,
                null,
                "Published by another producer.",
                Map.of("origin", "pipeline"));
    }

    private static int status(String id) {
        return given().header("Authorization", IngestTestProfile.BEARER)
                .get("/v3/documents/" + id)
                .statusCode();
    }
}

package dev.engram.ingest.documents;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.DocumentEvent;
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

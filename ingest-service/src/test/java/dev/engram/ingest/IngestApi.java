package dev.engram.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Calls of the Memory API shared by the ingest-service tests. */
public final class IngestApi {

    private IngestApi() {}

    /** A request with the test API key. */
    public static RequestSpecification authorized() {
        return given().header("Authorization", IngestTestProfile.BEARER);
    }

    /** A JSON request with the test API key. */
    public static RequestSpecification json() {
        return authorized().contentType(ContentType.JSON);
    }

    /** A container tag (or custom id) no other test uses: {@code <label>_<random>}. */
    public static String unique(String label) {
        return label + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Adds a document with {@code POST /v3/documents}; returns its id. */
    public static String add(Map<String, Object> body) {
        return json().body(body)
                .post("/v3/documents")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
    }

    /** {@code GET /v3/documents/{id}}, which must answer 200. */
    public static JsonPath get(String idOrCustomId) {
        return authorized()
                .get("/v3/documents/" + idOrCustomId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The HTTP status of {@code GET /v3/documents/{id}}. */
    public static int getStatusCode(String idOrCustomId) {
        return authorized().get("/v3/documents/" + idOrCustomId).statusCode();
    }

    /**
     * Moves a document to {@code status} as memory-writer would (a status event on the broker) and waits until the
     * document shows it.
     */
    public static void advance(String id, String tag, long revision, DocumentStatus status) {
        sendStatus(id, tag, revision, status);
        await().atMost(Duration.ofSeconds(20)).until(() -> status.wireName().equals(get(id).getString("status")));
    }

    /** Publishes a status event for a document as memory-writer would, without waiting for it to be applied. */
    public static void sendStatus(String id, String tag, long revision, DocumentStatus status) {
        var event = ProcessingStatusEvent.of(
                UUID.randomUUID().toString(), Instant.now(), tag, "org_default", id, revision, status, null);
        KafkaProbe.onTestBroker().send(Topics.PROCESSING_STATUS, tag, EventJson.write(event));
    }
}

package dev.engram.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.DocumentTopic;
import dev.engram.ingest.IngestApi;
import dev.engram.ingest.IngestTestProfile;
import dev.engram.ingest.TestDatabase;
import dev.engram.ingest.documents.DocumentRequestValidator;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentsResourceTest {

    @Test
    void addedDocumentIsQueuedAndReadableAtOnce() {
        String id = given().header("Authorization", IngestTestProfile.BEARER)
                .contentType(ContentType.JSON)
                .body(Map.of("content", "I live in Paris.", "containerTag", "user_1", "metadata", Map.of("k", 1)))
                .post("/v3/documents")
                .then()
                .statusCode(200)
                .body("status", equalTo("queued"))
                .body("id", notNullValue())
                .extract()
                .path("id");

        given().header("Authorization", IngestTestProfile.BEARER)
                .get("/v3/documents/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("queued"))
                .body("content", equalTo("I live in Paris."))
                .body("containerTags", hasSize(1))
                .body("containerTags[0]", equalTo("user_1"))
                .body("metadata.k", equalTo(1))
                .body("type", equalTo("text"))
                .body("customId", equalTo(null))
                .body("createdAt", notNullValue());
    }

    @Test
    void aDocumentAtTheSizeLimitReachesTheTopicAndTheNextOneFollows() {
        // The largest text the API takes (1 MiB of UTF-8), of the character JSON writes longest (six bytes each): its
        // event is about 6 MiB. Kafka's default limit (1 MiB) refused it, and the outbox held every later event behind.
        String largest = "\u0001".repeat(DocumentRequestValidator.MAX_CONTENT_BYTES);
        String big = add(largest, "size_limit");
        String next = add("The one after the big one.", "size_limit");

        DocumentEvent bigEvent = DocumentTopic.awaitEvents(big, 1).get(0);

        assertThat(bigEvent.content()).isEqualTo(largest);
        assertThat(DocumentTopic.awaitEvents(next, 1).get(0).content()).isEqualTo("The one after the big one.");
    }

    @Test
    void aDocumentWhoseEventTheBrokerRefusesForGoodEndsFailedAndTheNextOneFollows() throws Exception {
        // A topic that takes less than the event (misconfigured): the relay used to retry such a row forever, and
        // every later event of the service waited behind it.
        String refused;
        try (Admin admin = admin()) {
            setRecordLimit(admin, 4_096);
            try {
                refused = add("x".repeat(20_000), "refused_event");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> "failed".equals(IngestApi.get(refused).getString("status")));
            } finally {
                setRecordLimit(admin, Topics.MAX_RECORD_BYTES);
            }
        }
        String next = add("The one after the refused one.", "refused_event");

        assertThat(DocumentTopic.awaitEvents(next, 1).get(0).content()).isEqualTo("The one after the refused one.");
        assertThat(IngestApi.get(refused).getString("statusReason"))
                .startsWith(
                        "queueing failed: the broker refused the document's event for good (RecordTooLargeException");
        List<Map<String, Object>> dead = TestDatabase.query(
                "select topic, reason from ingest.outbox_dead_letters where payload like ?", "%" + refused + "%");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0)).containsEntry("topic", Topics.DOCUMENTS);
    }

    private static Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers()));
    }

    /** Sets the documents topic's record limit and waits until the broker reports it. */
    private static void setRecordLimit(Admin admin, int bytes) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DOCUMENTS);
        admin.incrementalAlterConfigs(Map.of(
                        topic,
                        List.of(new AlterConfigOp(
                                new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)),
                                AlterConfigOp.OpType.SET))))
                .all()
                .get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Integer.toString(bytes)
                        .equals(admin.describeConfigs(List.of(topic))
                                .all()
                                .get(30, TimeUnit.SECONDS)
                                .get(topic)
                                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
                                .value()));
    }

    private static String add(String content, String containerTag) {
        return given().header("Authorization", IngestTestProfile.BEARER)
                .contentType(ContentType.JSON)
                .body(Map.of("content", content, "containerTag", containerTag))
                .post("/v3/documents")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
    }

    @Test
    void addPublishesTheDocumentEventThroughTheOutboxInTheCallersTrace() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String id = given().header("Authorization", IngestTestProfile.BEARER)
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-00")
                .contentType(ContentType.JSON)
                .body(Map.of("content", "Relay me.", "containerTag", "user_relay"))
                .post("/v3/documents")
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        var records = KafkaProbe.onTestBroker()
                .awaitAny(Topics.DOCUMENTS, r -> r.value().contains(id), Duration.ofSeconds(20));

        assertThat(records).hasSize(1);
        var record = records.get(0);
        assertThat(record.key()).isEqualTo("user_relay");
        // Same trace as the HTTP request, a new span (the relay's publish span).
        assertThat(KafkaProbe.header(record, "traceparent"))
                .startsWith("00-" + traceId + "-")
                .doesNotContain("00f067aa0ba902b7");
        DocumentEvent event = EventJson.read(record.value(), DocumentEvent.class);
        assertThat(event.documentId()).isEqualTo(id);
        assertThat(event.content()).isEqualTo("Relay me.");
        assertThat(event.orgId()).isEqualTo("org_default");
        assertThat(event.revision()).isEqualTo(1);
    }

    @Test
    void documentWithoutTagGoesToTheDefaultTagAndDeprecatedTagListIsHonoured() {
        String untagged = add(Map.of("content", "no tag"));
        String listed = add(Map.of("content", "old style", "containerTags", java.util.List.of("legacy_tag", "other")));

        given().header("Authorization", IngestTestProfile.BEARER)
                .get("/v3/documents/" + untagged)
                .then()
                .body("containerTags[0]", equalTo("sm_project_default"));
        given().header("Authorization", IngestTestProfile.BEARER)
                .get("/v3/documents/" + listed)
                .then()
                .body("containerTags[0]", equalTo("legacy_tag"));
    }

    @Test
    void sameCustomIdUpdatesTheSameDocumentAsANewRevision() {
        String first = add(Map.of("content", "v1", "containerTag", "user_c", "customId", "note-1"));
        String second = add(Map.of("content", "v2", "containerTag", "user_c", "customId", "note-1"));

        assertThat(second).isEqualTo(first);
        given().header("Authorization", IngestTestProfile.BEARER)
                .get("/v3/documents/note-1")
                .then()
                .statusCode(200)
                .body("id", equalTo(first))
                .body("content", equalTo("v2"))
                .body("customId", equalTo("note-1"));
        var events = KafkaProbe.onTestBroker()
                .read(
                        Topics.DOCUMENTS,
                        r -> r.value().contains(first),
                        found -> found.size() >= 2,
                        Duration.ofSeconds(20));
        assertThat(events)
                .extracting(r -> EventJson.read(r.value(), DocumentEvent.class).revision())
                .containsExactly(1L, 2L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "missing content              | {\"containerTag\":\"u1\"}                                  | content",
                "empty content                | {\"content\":\"  \",\"containerTag\":\"u1\"}               | content",
                "content not a string         | {\"content\":{\"a\":1},\"containerTag\":\"u1\"}            | content",
                "tag with a space and a bang  | {\"content\":\"x\",\"containerTag\":\"bad tag!\"}          | containerTag",
                "customId with a slash        | {\"content\":\"x\",\"customId\":\"a/b\"}                   | customId",
                "nested metadata              | {\"content\":\"x\",\"metadata\":{\"a\":{\"b\":1}}}         | metadata.a",
                "metadata list of numbers     | {\"content\":\"x\",\"metadata\":{\"a\":[1,2]}}             | metadata.a",
                "null metadata value          | {\"content\":\"x\",\"metadata\":{\"a\":null}}              | metadata.a",
                "malformed JSON               | {\"content\": \"x\",                                       | JSON",
                "not an object                | [1,2,3]                                                     | JSON",
                "junk after the object        | {\"content\":\"x\",\"containerTag\":\"u1\"} junk            | JSON",
                "two objects                  | {\"content\":\"x\"} {\"content\":\"y\"}                  | JSON",
            })
    void badInputIsRejectedWith400NamingTheFieldAndStoresNothing(String name, String body, String field) {
        long documents = TestDatabase.count("documents");
        long outbox = TestDatabase.count("outbox");

        given().header("Authorization", IngestTestProfile.BEARER)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v3/documents")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", notNullValue())
                .body("details", containsString(field));

        assertThat(TestDatabase.count("documents")).isEqualTo(documents);
        assertThat(TestDatabase.count("outbox")).isEqualTo(outbox);
    }

    @Test
    void overlongContainerTagAndOversizedContentAreRejected() {
        given().header("Authorization", IngestTestProfile.BEARER)
                .contentType(ContentType.JSON)
                .body(Map.of("content", "x", "containerTag", "t".repeat(101)))
                .post("/v3/documents")
                .then()
                .statusCode(400)
                .body("details", containsString("containerTag"));
        given().header("Authorization", IngestTestProfile.BEARER)
                .contentType(ContentType.JSON)
                .body(Map.of("content", "é".repeat(600_000)))
                .post("/v3/documents")
                .then()
                .statusCode(400)
                .body("details", containsString("content"));
    }

    @Test
    void missingOrWrongKeyIsRefusedWith401() {
        given().contentType(ContentType.JSON)
                .body(Map.of("content", "x"))
                .post("/v3/documents")
                .then()
                .statusCode(401)
                .body("error", equalTo("Unauthorized"))
                .body("details", containsString("Bearer"));
        given().header("Authorization", "Bearer nope")
                .get("/v3/documents/anything")
                .then()
                .statusCode(401);
    }

    @Test
    void unknownDocumentIs404WithAReason() {
        given().header("Authorization", IngestTestProfile.BEARER)
                .get("/v3/documents/doesNotExist")
                .then()
                .statusCode(404)
                .body("error", equalTo("Not found"))
                .body("details", containsString("doesNotExist"));
    }

    static String add(Map<String, Object> body) {
        return given().header("Authorization", IngestTestProfile.BEARER)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v3/documents")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
    }
}

package dev.engram.ingest.api;

import static dev.engram.ingest.IngestApi.add;
import static dev.engram.ingest.IngestApi.get;
import static dev.engram.ingest.IngestApi.json;
import static dev.engram.ingest.IngestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.ingest.DocumentTopic;
import dev.engram.ingest.TestDatabase;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /v3/documents/batch}: items succeed or fail one by one; a malformed batch is a 400. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentBatchTest {

    @Test
    void objectAndStringItemsAreStoredWithTheSharedFieldsUnlessTheyHaveTheirOwn() {
        String shared = unique("batch_shared");
        String own = unique("batch_own");
        var body = Map.of(
                "containerTag",
                shared,
                "metadata",
                Map.of("origin", "batch", "n", 1),
                "filepath",
                "/batch/shared.txt",
                "taskType",
                "superrag",
                "documents",
                List.of(
                        Map.of("content", "An object item.", "metadata", Map.of("origin", "item")),
                        "A plain string item.",
                        Map.of("content", "Own tag and path.", "containerTag", own, "filepath", "/own.txt"),
                        "https://example.com/article"));

        JsonPath response = json().body(body)
                .post("/v3/documents/batch")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(response.getInt("success")).isEqualTo(4);
        assertThat(response.getInt("failed")).isZero();
        List<Map<String, Object>> results = response.getList("results");
        assertThat(results).hasSize(4).allSatisfy(result -> {
            assertThat(result).containsOnlyKeys("id", "status").containsEntry("status", "queued");
            assertThat((String) result.get("id")).isNotBlank();
        });
        assertThat(results).extracting(r -> r.get("id")).doesNotHaveDuplicates();
        List<String> ids = results.stream().map(r -> (String) r.get("id")).toList();

        JsonPath objectItem = get(ids.get(0));
        assertThat(objectItem.getString("content")).isEqualTo("An object item.");
        assertThat(objectItem.getList("containerTags")).containsExactly(shared);
        assertThat(objectItem.getMap("metadata")).isEqualTo(Map.of("origin", "item"));
        assertThat(objectItem.getString("filepath")).isEqualTo("/batch/shared.txt");
        assertThat(objectItem.getString("taskType")).isEqualTo("superrag");
        JsonPath stringItem = get(ids.get(1));
        assertThat(stringItem.getString("content")).isEqualTo("A plain string item.");
        assertThat(stringItem.getList("containerTags")).containsExactly(shared);
        assertThat(stringItem.getMap("metadata")).isEqualTo(Map.of("origin", "batch", "n", 1));
        JsonPath ownItem = get(ids.get(2));
        assertThat(ownItem.getList("containerTags")).containsExactly(own);
        assertThat(ownItem.getString("filepath")).isEqualTo("/own.txt");
        JsonPath urlItem = get(ids.get(3));
        assertThat(urlItem.getString("type")).isEqualTo("webpage");
        assertThat(urlItem.getString("url")).isEqualTo("https://example.com/article");

        var stringRecord = DocumentTopic.awaitRecords(ids.get(1), 1);
        assertThat(stringRecord).hasSize(1);
        assertThat(stringRecord.get(0).key()).isEqualTo(shared);
        DocumentEvent stringEvent = DocumentTopic.event(stringRecord.get(0));
        assertThat(stringEvent.operation()).isEqualTo(DocumentOperation.UPSERT);
        assertThat(stringEvent.revision()).isEqualTo(1);
        assertThat(stringEvent.source()).isEqualTo("text");
        assertThat(stringEvent.content()).isEqualTo("A plain string item.");
        assertThat(stringEvent.metadata()).isEqualTo(Map.of("origin", "batch", "n", 1));
        assertThat(stringEvent.filepath()).isEqualTo("/batch/shared.txt");
        assertThat(stringEvent.taskType()).isEqualTo("superrag");
        var ownRecord = DocumentTopic.awaitRecords(ids.get(2), 1);
        assertThat(ownRecord.get(0).key()).isEqualTo(own);
        DocumentEvent urlEvent = DocumentTopic.awaitEvents(ids.get(3), 1).get(0);
        assertThat(urlEvent.source()).isEqualTo("url");
        assertThat(urlEvent.content()).isEqualTo("https://example.com/article");
    }

    @Test
    void badItemsAreReportedInTheirResultsAndTheGoodOnesAreStored() {
        String tag = unique("batch_mixed");
        long documentsBefore = TestDatabase.count("documents");
        List<Object> documents = List.of(
                Map.of("content", "good one"),
                Map.of("content", "   "),
                42,
                Map.of("content", "x", "containerTag", "bad tag!"),
                Map.of("content", "x", "metadata", Map.of("a", Map.of("b", 1))),
                Map.of("content", "x", "metadata", "not an object"),
                Map.of("content", "x", "customId", "a/b"),
                Map.of("content", "x", "metadata", Map.of("big", BigInteger.TEN.pow(400))),
                "good two");

        JsonPath response = json().body(Map.of("containerTag", tag, "documents", documents))
                .post("/v3/documents/batch")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(response.getInt("success")).isEqualTo(2);
        assertThat(response.getInt("failed")).isEqualTo(7);
        List<Map<String, Object>> results = response.getList("results");
        assertThat(results).hasSize(9);
        assertThat(results.get(0)).containsEntry("status", "queued");
        assertThat(results.get(8)).containsEntry("status", "queued");
        String[] fields = {
            "documents[1].content",
            "documents[2]",
            "documents[3].containerTag",
            "documents[4].metadata.a",
            "documents[5].metadata",
            "documents[6].customId",
            "documents[7].metadata.big"
        };
        for (int i = 1; i <= 7; i++) {
            assertThat(results.get(i))
                    .as("result %d", i)
                    .containsEntry("id", "")
                    .containsEntry("status", "error")
                    .containsKeys("error", "details");
            assertThat((String) results.get(i).get("details"))
                    .as("result %d", i)
                    .contains(fields[i - 1]);
        }
        assertThat(TestDatabase.count("documents")).isEqualTo(documentsBefore + 2);
        assertThat(get((String) results.get(8).get("id")).getString("content")).isEqualTo("good two");
    }

    @Test
    void customIdInABatchUpdatesTheExistingDocumentAsNewRevisions() {
        String tag = unique("batch_custom");
        String customId = unique("batch-note");
        String id = add(Map.of("content", "v1", "containerTag", tag, "customId", customId));

        JsonPath response = json().body(Map.of(
                        "containerTag",
                        tag,
                        "documents",
                        List.of(
                                Map.of("content", "v2", "customId", customId),
                                Map.of("content", "v3", "customId", customId, "metadata", Map.of("v", 3)))))
                .post("/v3/documents/batch")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(response.getList("results.id", String.class)).containsExactly(id, id);
        JsonPath stored = get(customId);
        assertThat(stored.getString("id")).isEqualTo(id);
        assertThat(stored.getString("content")).isEqualTo("v3");
        assertThat(stored.getString("customId")).isEqualTo(customId);
        List<DocumentEvent> events = DocumentTopic.awaitEvents(id, 3);
        assertThat(events).extracting(DocumentEvent::revision).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(DocumentEvent::content).containsExactly("v1", "v2", "v3");
        assertThat(events).extracting(DocumentEvent::customId).containsOnly(customId);
    }

    @Test
    void newCustomIdTwiceInOneBatchIsOneDocumentWithTheLaterContent() {
        String tag = unique("batch_twice");
        String customId = unique("batch-twice");

        JsonPath response = json().body(Map.of(
                        "containerTag",
                        tag,
                        "documents",
                        List.of(
                                Map.of("content", "first", "customId", customId),
                                Map.of("content", "second", "customId", customId))))
                .post("/v3/documents/batch")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        List<String> ids = response.getList("results.id", String.class);
        assertThat(ids).hasSize(2);
        assertThat(ids.get(1)).isEqualTo(ids.get(0));
        assertThat(get(customId).getString("content")).isEqualTo("second");
        assertThat(DocumentTopic.awaitEvents(ids.get(0), 2))
                .extracting(DocumentEvent::revision)
                .containsExactly(1L, 2L);
    }

    /**
     * New documents are written a statement per batch, the rest one by one afterwards; each result still names its own
     * document, in the request's order, and every document's row and event are complete.
     */
    @Test
    void batchMixingNewAndExistingDocumentsAnswersInTheRequestsOrder() {
        String tag = unique("batch_mixed");
        String existingCustomId = unique("batch-existing");
        String newCustomId = unique("batch-new");
        String existingId = add(Map.of("content", "stored before", "containerTag", tag, "customId", existingCustomId));

        JsonPath response = json().body(Map.of(
                        "containerTag",
                        tag,
                        "documents",
                        List.of(
                                Map.of("content", "first new", "metadata", Map.of("k", "v", "n", 2, "b", true)),
                                Map.of("content", "stored, changed", "customId", existingCustomId),
                                Map.of("content", "new with custom id", "customId", newCustomId),
                                "last new")))
                .post("/v3/documents/batch")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        List<String> ids = response.getList("results.id", String.class);
        assertThat(ids).hasSize(4).doesNotHaveDuplicates();
        assertThat(ids.get(1)).isEqualTo(existingId);
        assertThat(List.of(ids.get(0), ids.get(2), ids.get(3)).stream().map(id -> get(id).getString("content")))
                .containsExactly("first new", "new with custom id", "last new");
        JsonPath first = get(ids.get(0));
        assertThat(first.getMap("metadata")).isEqualTo(Map.of("k", "v", "n", 2, "b", true));
        assertThat(first.getString("status")).isNotBlank();
        assertThat(first.getString("createdAt")).isNotBlank().isEqualTo(first.getString("updatedAt"));
        assertThat(get(existingCustomId).getString("content")).isEqualTo("stored, changed");
        assertThat(get(newCustomId).getString("id")).isEqualTo(ids.get(2));

        DocumentEvent firstEvent = DocumentTopic.awaitEvents(ids.get(0), 1).get(0);
        assertThat(firstEvent.revision()).isEqualTo(1);
        assertThat(firstEvent.content()).isEqualTo("first new");
        assertThat(firstEvent.metadata()).isEqualTo(Map.of("k", "v", "n", 2, "b", true));
        assertThat(DocumentTopic.awaitEvents(ids.get(2), 1).get(0).customId()).isEqualTo(newCustomId);
        assertThat(DocumentTopic.awaitEvents(existingId, 2))
                .extracting(DocumentEvent::revision)
                .containsExactly(1L, 2L);
    }

    @Test
    void batchOfTheMaximumSizeIsAccepted() {
        String tag = unique("batch_max");
        List<String> documents =
                IntStream.range(0, 600).mapToObj(i -> "item " + i).toList();

        JsonPath response = json().body(Map.of("containerTag", tag, "documents", documents))
                .post("/v3/documents/batch")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(response.getInt("success")).isEqualTo(600);
        assertThat(response.getInt("failed")).isZero();
        assertThat(TestDatabase.query("select count(*) from ingest.documents where container_tag = ?", tag)
                        .get(0)
                        .get("count"))
                .isEqualTo(600L);
    }

    static Stream<Arguments> malformedBatches() {
        List<String> tooMany =
                IntStream.range(0, 601).mapToObj(i -> "item " + i).toList();
        List<Object> one = List.of("content");
        return Stream.of(
                Arguments.of("empty list", Map.of("documents", List.of()), "documents"),
                Arguments.of("601 items", Map.of("documents", tooMany), "documents"),
                Arguments.of("documents missing", Map.of("containerTag", "t"), "documents"),
                Arguments.of("documents not a list", Map.of("documents", "text"), "documents"),
                Arguments.of(
                        "shared containerTag invalid",
                        Map.of("documents", one, "containerTag", "bad tag!"),
                        "containerTag"),
                Arguments.of(
                        "shared containerTags invalid",
                        Map.of("documents", one, "containerTags", List.of("ok", "bad tag!")),
                        "containerTags[1]"),
                Arguments.of(
                        "shared metadata nested",
                        Map.of("documents", one, "metadata", Map.of("a", Map.of("b", 1))),
                        "metadata.a"),
                Arguments.of("shared taskType unknown", Map.of("documents", one, "taskType", "other"), "taskType"),
                Arguments.of("shared filepath not a string", Map.of("documents", one, "filepath", 7), "filepath"),
                Arguments.of(
                        "shared entityContext too long",
                        Map.of("documents", one, "entityContext", "e".repeat(1501)),
                        "entityContext"),
                Arguments.of("malformed JSON", "{\"documents\": [\"x\",", "JSON"),
                Arguments.of("not an object", "[\"x\"]", "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBatches")
    void malformedBatchIsRejectedWith400NamingTheFieldAndStoresNothing(String name, Object body, String field) {
        TestDatabase.assertStoresNothing(() -> json().body(body)
                .post("/v3/documents/batch")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", notNullValue())
                .body("details", containsString(field)));
    }

    @Test
    void batchWithoutKeyIsRefused() {
        TestDatabase.assertStoresNothing(() -> io.restassured.RestAssured.given()
                .contentType(ContentType.JSON)
                .body(Map.of("documents", List.of("x")))
                .post("/v3/documents/batch")
                .then()
                .statusCode(401));
    }
}

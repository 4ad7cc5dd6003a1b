package dev.engram.ingest.api;

import static dev.engram.ingest.IngestApi.add;
import static dev.engram.ingest.IngestApi.advance;
import static dev.engram.ingest.IngestApi.authorized;
import static dev.engram.ingest.IngestApi.get;
import static dev.engram.ingest.IngestApi.getStatusCode;
import static dev.engram.ingest.IngestApi.json;
import static dev.engram.ingest.IngestApi.sendStatus;
import static dev.engram.ingest.IngestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.core.documents.DocumentStatus;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code PATCH /v3/documents/{id}}, {@code DELETE /v3/documents/{id}}, {@code DELETE /v3/documents/bulk} and
 * {@code GET /v3/documents/processing}: what is stored and which event announces it.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentUpdateAndDeleteTest {

    // --- PATCH

    @Test
    void newContentIsANewRevisionQueuedAgainAndPublishedAsAnUpsert() {
        String tag = unique("patch_content");
        String id = add(Map.of("content", "old text", "containerTag", tag, "metadata", Map.of("k", "v")));
        advance(id, tag, 1, DocumentStatus.DONE);

        patch(id, Map.of("content", "new text"))
                .statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("queued"));

        JsonPath stored = get(id);
        assertThat(stored.getString("content")).isEqualTo("new text");
        assertThat(stored.getString("status")).isEqualTo("queued");
        assertThat(stored.getMap("metadata")).isEqualTo(Map.of("k", "v"));
        var records = DocumentTopic.awaitRecords(id, 2);
        assertThat(records).extracting(r -> r.key()).containsExactly(tag, tag);
        List<DocumentEvent> events = records.stream().map(DocumentTopic::event).toList();
        assertThat(events)
                .extracting(DocumentEvent::operation)
                .containsExactly(DocumentOperation.UPSERT, DocumentOperation.UPSERT);
        assertThat(events).extracting(DocumentEvent::revision).containsExactly(1L, 2L);
        assertThat(events.get(1).content()).isEqualTo("new text");
        assertThat(events.get(1).source()).isEqualTo("text");
        assertThat(events.get(1).metadata()).isEqualTo(Map.of("k", "v"));
        // A late status of the old revision no longer moves the document; the new revision's statuses do.
        sendStatus(id, tag, 1, DocumentStatus.FAILED);
        advance(id, tag, 2, DocumentStatus.EXTRACTING);
    }

    @Test
    void newContainerTagReprocessesTheDocumentUnderTheNewTag() {
        String oldTag = unique("patch_from");
        String newTag = unique("patch_to");
        String id = add(Map.of("content", "moving", "containerTag", oldTag));

        patch(id, Map.of("containerTag", newTag)).statusCode(200).body("status", equalTo("queued"));

        assertThat(get(id).getList("containerTags")).containsExactly(newTag);
        var records = DocumentTopic.awaitRecords(id, 2);
        var upsert = records.stream()
                .filter(r -> DocumentTopic.event(r).revision() == 2)
                .findFirst()
                .orElseThrow();
        assertThat(upsert.key()).isEqualTo(newTag);
        DocumentEvent event = DocumentTopic.event(upsert);
        assertThat(event.operation()).isEqualTo(DocumentOperation.UPSERT);
        assertThat(event.containerTag()).isEqualTo(newTag);
        assertThat(event.content()).isEqualTo("moving");
    }

    @Test
    void metadataPathTaskTypeAndCustomIdChangesApplyInPlaceKeepTheStatusAndPublishAMetadataEvent() {
        String tag = unique("patch_meta");
        String customId = unique("meta-doc");
        String id = add(Map.of("content", "stays", "containerTag", tag, "metadata", Map.of("old", true)));
        advance(id, tag, 1, DocumentStatus.DONE);

        patch(
                        id,
                        Map.of(
                                "metadata",
                                Map.of("color", "blue", "n", 2),
                                "filepath",
                                "/notes/stays.md",
                                "taskType",
                                "superrag",
                                "customId",
                                customId))
                .statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("done"));

        JsonPath stored = get(customId);
        assertThat(stored.getString("id")).isEqualTo(id);
        assertThat(stored.getString("status")).isEqualTo("done");
        assertThat(stored.getString("content")).isEqualTo("stays");
        assertThat(stored.getMap("metadata")).isEqualTo(Map.of("color", "blue", "n", 2));
        assertThat(stored.getString("filepath")).isEqualTo("/notes/stays.md");
        assertThat(stored.getString("taskType")).isEqualTo("superrag");
        List<DocumentEvent> events = DocumentTopic.awaitEvents(id, 2);
        assertThat(events).hasSize(2);
        DocumentEvent metadata = events.get(1);
        assertThat(metadata.operation()).isEqualTo(DocumentOperation.METADATA);
        assertThat(metadata.revision()).isEqualTo(1);
        assertThat(metadata.content()).isNull();
        assertThat(metadata.metadata()).isEqualTo(Map.of("color", "blue", "n", 2));
        assertThat(metadata.filepath()).isEqualTo("/notes/stays.md");
        assertThat(metadata.taskType()).isEqualTo("superrag");
        assertThat(metadata.customId()).isEqualTo(customId);
        assertThat(metadata.containerTag()).isEqualTo(tag);
    }

    @Test
    void patchThatChangesNothingPublishesNothing() {
        String tag = unique("patch_same");
        String id = add(Map.of("content", "same", "containerTag", tag, "metadata", Map.of("a", 1)));

        patch(id, Map.of("content", "same", "containerTag", tag, "metadata", Map.of("a", 1)))
                .statusCode(200)
                .body("status", equalTo("queued"));
        patch(id, Map.of()).statusCode(200);
        patch(id, Map.of("containerTags", List.of())).statusCode(200);
        // A real change afterwards: everything published before it has been read once it is.
        patch(id, Map.of("metadata", Map.of("a", 2))).statusCode(200);

        List<DocumentEvent> events = DocumentTopic.awaitEvents(id, 2);
        assertThat(events)
                .extracting(DocumentEvent::operation)
                .containsExactly(DocumentOperation.UPSERT, DocumentOperation.METADATA);
        JsonPath stored = get(id);
        assertThat(stored.getList("containerTags")).containsExactly(tag);
        assertThat(stored.getString("updatedAt")).isNotEqualTo(stored.getString("createdAt"));
    }

    @Test
    void documentIsFoundByItsCustomId() {
        String customId = unique("patch-by-custom");
        String id = add(Map.of("content", "v1", "customId", customId));

        patch(customId, Map.of("content", "v2")).statusCode(200).body("id", equalTo(id));

        assertThat(get(id).getString("content")).isEqualTo("v2");
    }

    @Test
    void customIdOfAnotherDocumentIsAConflictThatChangesNothing() {
        String taken = unique("taken");
        add(Map.of("content", "owner", "customId", taken));
        String id = add(Map.of("content", "other", "metadata", Map.of("x", "y")));

        TestDatabase.assertStoresNothing(() -> patch(id, Map.of("customId", taken, "metadata", Map.of("x", "z")))
                .statusCode(409)
                .header("x-should-retry", "false")
                .contentType(ContentType.JSON)
                .body("error", notNullValue())
                .body("details", containsString("customId")));

        JsonPath stored = get(id);
        assertThat(stored.getString("customId")).isNull();
        assertThat(stored.getMap("metadata")).isEqualTo(Map.of("x", "y"));
        patch(id, Map.of("metadata", Map.of("x", "marker"))).statusCode(200);
        assertThat(DocumentTopic.awaitEvents(id, 2))
                .extracting(DocumentEvent::metadata)
                .containsExactly(Map.of("x", "y"), Map.of("x", "marker"));
    }

    @Test
    void patchOfAnUnknownDocumentIs404() {
        TestDatabase.assertStoresNothing(() -> patch("no-such-document", Map.of("content", "x"))
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("error", notNullValue())
                .body("details", containsString("no-such-document")));
    }

    static Stream<Arguments> invalidPatches() {
        return Stream.of(
                Arguments.of("empty content", "{\"content\": \" \"}", "content"),
                Arguments.of("content not a string", "{\"content\": 5}", "content"),
                Arguments.of("bad containerTag", "{\"containerTag\": \"bad tag!\"}", "containerTag"),
                Arguments.of("bad containerTags", "{\"containerTags\": [\"ok\", 3]}", "containerTags[1]"),
                Arguments.of("bad customId", "{\"customId\": \"a b\"}", "customId"),
                Arguments.of("nested metadata", "{\"metadata\": {\"a\": {\"b\": 1}}}", "metadata.a"),
                Arguments.of("filepath not a string", "{\"filepath\": 1}", "filepath"),
                Arguments.of("unknown taskType", "{\"taskType\": \"index\"}", "taskType"),
                Arguments.of("malformed JSON", "{\"content\": ", "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPatches")
    void invalidPatchIs400NamingTheFieldAndChangesNothing(String name, String body, String field) {
        String id = add(Map.of("content", "untouched", "metadata", Map.of("k", "v")));

        TestDatabase.assertStoresNothing(() -> json().body(body)
                .patch("/v3/documents/" + id)
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", notNullValue())
                .body("details", containsString(field)));

        JsonPath stored = get(id);
        assertThat(stored.getString("content")).isEqualTo("untouched");
        assertThat(stored.getMap("metadata")).isEqualTo(Map.of("k", "v"));
    }

    // --- DELETE one

    @Test
    void deletedDocumentIsGoneWithItsFileAndADeleteEventIsPublished() {
        String tag = unique("delete_one");
        String id = authorized()
                .multiPart("file", "gone.txt", "to be deleted".getBytes(StandardCharsets.UTF_8), "text/plain")
                .multiPart("containerTag", tag)
                .multiPart("filepath", "/gone.txt")
                .post("/v3/documents/file")
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        authorized().delete("/v3/documents/" + id).then().statusCode(204);

        assertThat(getStatusCode(id)).isEqualTo(404);
        assertThat(TestDatabase.query("select 1 from ingest.document_files where document_id = ?", id))
                .isEmpty();
        var records = DocumentTopic.awaitRecords(id, 2);
        assertThat(records).extracting(r -> r.key()).containsExactly(tag, tag);
        DocumentEvent delete = DocumentTopic.event(records.get(1));
        assertThat(delete.operation()).isEqualTo(DocumentOperation.DELETE);
        assertThat(delete.revision()).isEqualTo(1);
        assertThat(delete.containerTag()).isEqualTo(tag);
        assertThat(delete.content()).isNull();
        assertThat(delete.filepath()).isEqualTo("/gone.txt");
    }

    @Test
    void documentIsDeletedByItsCustomId() {
        String customId = unique("delete-custom");
        String id = add(Map.of("content", "bye", "customId", customId));

        authorized().delete("/v3/documents/" + customId).then().statusCode(204);

        assertThat(getStatusCode(id)).isEqualTo(404);
        assertThat(DocumentTopic.awaitEvents(id, 2).get(1).operation()).isEqualTo(DocumentOperation.DELETE);
    }

    @Test
    void deletingAnUnknownDocumentIs404() {
        TestDatabase.assertStoresNothing(() -> authorized()
                .delete("/v3/documents/never-was")
                .then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("error", notNullValue())
                .body("details", containsString("never-was")));
    }

    // --- DELETE bulk

    @Test
    void bulkDeleteByIdsDeletesTheKnownOnesAndReportsTheUnknown() {
        String tag = unique("bulk_ids");
        String customId = unique("bulk-custom");
        String a = add(Map.of("content", "a", "containerTag", tag));
        String b = add(Map.of("content", "b", "containerTag", tag, "customId", customId));
        String c = add(Map.of("content", "c", "containerTag", tag));
        String kept = add(Map.of("content", "kept", "containerTag", tag));

        JsonPath response = bulkDelete(Map.of("ids", List.of(a, customId, "missing-one", c)))
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(response.getInt("deletedCount")).isEqualTo(3);
        assertThat(response.getBoolean("success")).isTrue();
        assertThat(response.getList("errors"))
                .containsExactly(Map.of("id", "missing-one", "error", "Document not found"));
        assertThat(response.getMap("$")).doesNotContainKey("containerTags");
        for (String id : List.of(a, b, c)) {
            assertThat(getStatusCode(id)).as(id).isEqualTo(404);
            assertThat(DocumentTopic.awaitEvents(id, 2).get(1).operation()).isEqualTo(DocumentOperation.DELETE);
        }
        assertThat(getStatusCode(kept)).isEqualTo(200);
    }

    @Test
    void bulkDeleteNamingOneDocumentTwiceDeletesItOnce() {
        String customId = unique("bulk-twice");
        String id = add(Map.of("content", "twice", "customId", customId));

        JsonPath response = bulkDelete(Map.of("ids", List.of(id, customId, id)))
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(response.getInt("deletedCount")).isEqualTo(1);
        assertThat(response.getMap("$")).doesNotContainKey("errors");
        assertThat(getStatusCode(id)).isEqualTo(404);
        assertThat(DocumentTopic.awaitEvents(id, 2))
                .extracting(DocumentEvent::operation)
                .containsExactly(DocumentOperation.UPSERT, DocumentOperation.DELETE);
    }

    @Test
    void bulkDeleteByContainerTagsDeletesEveryDocumentOfThoseTagsOnly() {
        String first = unique("bulk_tag_a");
        String second = unique("bulk_tag_b");
        String other = unique("bulk_tag_keep");
        List<String> deleted = List.of(
                add(Map.of("content", "1", "containerTag", first)),
                add(Map.of("content", "2", "containerTag", first)),
                add(Map.of("content", "3", "containerTag", second)));
        String kept = add(Map.of("content", "4", "containerTag", other));

        JsonPath response = bulkDelete(Map.of("containerTags", List.of(first, second)))
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(response.getInt("deletedCount")).isEqualTo(3);
        assertThat(response.getBoolean("success")).isTrue();
        assertThat(response.getList("containerTags")).containsExactly(first, second);
        assertThat(response.getMap("$")).doesNotContainKey("errors");
        deleted.forEach(id -> assertThat(getStatusCode(id)).isEqualTo(404));
        assertThat(getStatusCode(kept)).isEqualTo(200);
        var records = DocumentTopic.awaitRecords(deleted.get(2), 2);
        assertThat(records.get(1).key()).isEqualTo(second);
        assertThat(DocumentTopic.event(records.get(1)).operation()).isEqualTo(DocumentOperation.DELETE);
    }

    @Test
    void bulkDeleteByFilepathTakesAnExactPathOrALiteralPrefix() {
        String root = "/" + unique("bulk_path");
        String tag = unique("bulk_path");
        String underA = add(Map.of("content", "1", "containerTag", tag, "filepath", root + "/a_1/x.md"));
        String deeper = add(Map.of("content", "2", "containerTag", tag, "filepath", root + "/a_1/sub/y.md"));
        // '_' and '%' in the prefix are literal characters, not LIKE wildcards.
        String lookalike = add(Map.of("content", "3", "containerTag", tag, "filepath", root + "/aX1/z.md"));
        String exact = add(Map.of("content", "4", "containerTag", tag, "filepath", root + "/exact.md"));
        String sibling = add(Map.of("content", "5", "containerTag", tag, "filepath", root + "/exact.md.bak"));

        bulkDelete(Map.of("filepath", root + "/a_1/")).statusCode(200).body("deletedCount", equalTo(2));
        bulkDelete(Map.of("filepath", root + "/exact.md")).statusCode(200).body("deletedCount", equalTo(1));
        bulkDelete(Map.of("filepath", root + "/%/")).statusCode(200).body("deletedCount", equalTo(0));

        assertThat(getStatusCode(underA)).isEqualTo(404);
        assertThat(getStatusCode(deeper)).isEqualTo(404);
        assertThat(getStatusCode(exact)).isEqualTo(404);
        assertThat(getStatusCode(lookalike)).isEqualTo(200);
        assertThat(getStatusCode(sibling)).isEqualTo(200);
    }

    static Stream<Arguments> invalidBulkDeletes() {
        List<String> tooMany = IntStream.range(0, 101).mapToObj(i -> "id" + i).toList();
        Map<String, Object> nullIds = new HashMap<>();
        nullIds.put("ids", null);
        return Stream.of(
                Arguments.of("no criterion", Map.of(), "ids"),
                Arguments.of("only nulls", nullIds, "ids"),
                Arguments.of("two criteria", Map.of("ids", List.of("a"), "filepath", "/x"), "ids"),
                Arguments.of("empty ids", Map.of("ids", List.of()), "ids"),
                Arguments.of("101 ids", Map.of("ids", tooMany), "ids"),
                Arguments.of("id not a string", Map.of("ids", List.of("a", 7)), "ids[1]"),
                Arguments.of("empty id", Map.of("ids", List.of("")), "ids[0]"),
                Arguments.of("empty containerTags", Map.of("containerTags", List.of()), "containerTags"),
                Arguments.of("bad container tag", Map.of("containerTags", List.of("bad tag!")), "containerTags[0]"),
                Arguments.of("empty filepath", Map.of("filepath", ""), "filepath"),
                Arguments.of("filepath not a string", Map.of("filepath", List.of("/x")), "filepath"),
                Arguments.of("filepath with the NUL character", Map.of("filepath", "/a\u0000/"), "filepath"),
                Arguments.of("id with the NUL character", Map.of("ids", List.of("a\u0000b")), "ids[0]"),
                Arguments.of("malformed JSON", "{\"ids\": [", "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBulkDeletes")
    void invalidBulkDeleteIs400NamingTheFieldAndDeletesNothing(String name, Object body, String field) {
        add(Map.of("content", "survivor"));

        TestDatabase.assertStoresNothing(() -> bulkDelete(body)
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", notNullValue())
                .body("details", containsString(field)));
    }

    @Test
    void bulkDeleteWithoutABodyIs400() {
        TestDatabase.assertStoresNothing(() -> authorized()
                .contentType(ContentType.JSON)
                .delete("/v3/documents/bulk")
                .then()
                .statusCode(400)
                .body("details", notNullValue()));
    }

    // --- GET processing

    @Test
    void processingListsDocumentsInThePipelineAndDropsThemWhenDoneOrFailed() {
        String tag = unique("processing");
        Map<String, Object> metadata = Map.of(
                "note",
                "a \"quoted\" line\nand ünïcode",
                "count",
                3,
                "ratio",
                0.25,
                "flag",
                true,
                "tags",
                List.of("x", "y"));
        String waiting = add(
                Map.of("content", "waiting", "containerTag", tag, "customId", unique("proc"), "metadata", metadata));
        String embedding = add(Map.of("content", "embedding", "containerTag", tag));
        String done = add(Map.of("content", "done", "containerTag", tag));
        String failed = add(Map.of("content", "failed", "containerTag", tag));
        advance(embedding, tag, 1, DocumentStatus.EMBEDDING);
        advance(done, tag, 1, DocumentStatus.DONE);
        advance(failed, tag, 1, DocumentStatus.FAILED);

        JsonPath response = authorized()
                .get("/v3/documents/processing")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        List<Map<String, Object>> documents = response.getList("documents");
        assertThat(response.getInt("totalCount")).isEqualTo(documents.size());
        List<String> ids = response.getList("documents.id", String.class);
        assertThat(ids).contains(waiting, embedding).doesNotContain(done, failed);
        assertThat(ids.indexOf(waiting)).isLessThan(ids.indexOf(embedding));
        Map<String, Object> entry = documents.get(ids.indexOf(embedding));
        assertThat(entry)
                .containsKeys("id", "createdAt", "customId", "metadata", "status", "title", "type", "updatedAt")
                .containsEntry("status", "embedding")
                .containsEntry("type", "text")
                .containsEntry("containerTags", List.of(tag));
        Map<String, Object> queued = documents.get(ids.indexOf(waiting));
        assertThat(queued).containsEntry("status", "queued").containsEntry("title", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) queued.get("metadata");
        assertThat(stored)
                .containsOnlyKeys(metadata.keySet())
                .containsEntry("note", metadata.get("note"))
                .containsEntry("count", 3)
                .containsEntry("flag", true)
                .containsEntry("tags", List.of("x", "y"));
        assertThat(((Number) stored.get("ratio")).doubleValue()).isEqualTo(0.25); // JsonPath reads it as a float
        assertThat(Instant.parse((String) entry.get("createdAt")))
                .isBeforeOrEqualTo(Instant.parse((String) entry.get("updatedAt")));
        assertThat((String) documents.get(ids.indexOf(waiting)).get("customId")).startsWith("proc_");
    }

    private static io.restassured.response.ValidatableResponse patch(String id, Map<String, Object> body) {
        return json().body(body).patch("/v3/documents/" + id).then();
    }

    private static io.restassured.response.ValidatableResponse bulkDelete(Object body) {
        return json().body(body).delete("/v3/documents/bulk").then();
    }
}

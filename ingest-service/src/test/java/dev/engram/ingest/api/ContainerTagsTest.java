package dev.engram.ingest.api;

import static dev.engram.ingest.IngestApi.add;
import static dev.engram.ingest.IngestApi.authorized;
import static dev.engram.ingest.IngestApi.get;
import static dev.engram.ingest.IngestApi.getStatusCode;
import static dev.engram.ingest.IngestApi.json;
import static dev.engram.ingest.IngestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

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
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code /v3/container-tags}: list, get, patch and delete a tag, and merges that move documents to the target through
 * the ordinary update (a re-processing event per document) and report queued → running → done.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ContainerTagsTest {

    private static JsonPath tag(String tag) {
        return authorized()
                .get("/v3/container-tags/" + tag)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static String newOrg() {
        return json().body(Map.of("name", unique("Tags")))
                .post("/v3/orgs")
                .then()
                .statusCode(200)
                .extract()
                .path("key");
    }

    @Test
    void theListShowsTheOrganisationsTagsWithDocumentCountsAPageAtATime() {
        String key = newOrg();
        for (String t : List.of("alpha", "beta", "gamma")) {
            given().header("Authorization", "Bearer " + key)
                    .contentType(ContentType.JSON)
                    .body(Map.of("content", "note in " + t, "containerTag", t))
                    .post("/v3/documents")
                    .then()
                    .statusCode(200);
        }
        given().header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON)
                .body(Map.of("content", "second note in beta", "containerTag", "beta"))
                .post("/v3/documents")
                .then()
                .statusCode(200);

        JsonPath first = given().header("Authorization", "Bearer " + key)
                .get("/v3/container-tags/list?limit=2")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(first.getList("containerTags.containerTag")).containsExactly("alpha", "beta");
        assertThat(first.getInt("containerTags[1].documentCount")).isEqualTo(2);
        assertThat(first.getString("containerTags[0].createdAt")).isNotBlank();
        assertThat(first.getInt("pagination.totalItems")).isEqualTo(3);
        assertThat(first.getInt("pagination.totalPages")).isEqualTo(2);
        JsonPath second = given().header("Authorization", "Bearer " + key)
                .get("/v3/container-tags/list?limit=2&page=2")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(second.getList("containerTags.containerTag")).containsExactly("gamma");

        // The default organisation's list does not show another organisation's tags.
        JsonPath ours = authorized()
                .get("/v3/container-tags/list?limit=1000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(ours.getList("containerTags.containerTag")).doesNotContain("alpha", "gamma");
        authorized()
                .get("/v3/container-tags/list?limit=0")
                .then()
                .statusCode(400)
                .body("details", containsString("limit"));
    }

    @Test
    void aTagsSettingsArePatchedAndReadBack() {
        String t = unique("tag_patch");
        add(Map.of("content", "hello", "containerTag", t, "entityContext", "The user is a gardener."));

        JsonPath before = tag(t);
        assertThat(before.getString("containerTag")).isEqualTo(t);
        assertThat(before.getString("entityContext")).isEqualTo("The user is a gardener.");
        assertThat(before.getInt("documentCount")).isEqualTo(1);

        JsonPath patched = json().body(Map.of("name", "Gardening", "memoryFilesystemPaths", List.of("/notes/")))
                .patch("/v3/container-tags/" + t)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(patched.getString("name")).isEqualTo("Gardening");
        assertThat(patched.getString("entityContext")).isEqualTo("The user is a gardener.");
        assertThat(patched.getList("memoryFilesystemPaths")).containsExactly("/notes/");
        assertThat(patched.getString("updatedAt")).isNotBlank();

        Map<String, Object> clear = new HashMap<>();
        clear.put("entityContext", null);
        json().body(clear).patch("/v3/container-tags/" + t).then().statusCode(200);
        JsonPath after = tag(t);
        assertThat(after.getString("entityContext")).isNull();
        assertThat(after.getString("name")).isEqualTo("Gardening");

        json().body(Map.of("entityContext", "x".repeat(1501)))
                .patch("/v3/container-tags/" + t)
                .then()
                .statusCode(400)
                .body("details", containsString("entityContext"));
        json().body(Map.of("name", ""))
                .patch("/v3/container-tags/" + t)
                .then()
                .statusCode(400)
                .body("details", containsString("name"));
        json().body(Map.of("memoryFilesystemPaths", List.of(1)))
                .patch("/v3/container-tags/" + t)
                .then()
                .statusCode(400)
                .body("details", containsString("memoryFilesystemPaths[0]"));
        json().body(Map.of("colour", "red"))
                .patch("/v3/container-tags/" + t)
                .then()
                .statusCode(400)
                .body("details", containsString("colour"));
        assertThat(tag(t).getString("name")).isEqualTo("Gardening");

        authorized().get("/v3/container-tags/" + unique("never_used")).then().statusCode(404);
        authorized().get("/v3/container-tags/bad%20tag").then().statusCode(400);
    }

    @Test
    void deletingATagDeletesItsDocumentsThroughTheOrdinaryDelete() {
        String t = unique("tag_delete");
        String other = unique("tag_keep");
        String a = add(Map.of("content", "first", "containerTag", t));
        String b = add(Map.of("content", "second", "containerTag", t));
        String kept = add(Map.of("content", "elsewhere", "containerTag", other));

        JsonPath deleted = authorized()
                .delete("/v3/container-tags/" + t)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(deleted.getBoolean("success")).isTrue();
        assertThat(deleted.getInt("deletedDocuments")).isEqualTo(2);
        assertThat(getStatusCode(a)).isEqualTo(404);
        assertThat(getStatusCode(b)).isEqualTo(404);
        assertThat(getStatusCode(kept)).isEqualTo(200);
        assertThat(DocumentTopic.awaitEvents(a, 2))
                .extracting(DocumentEvent::operation)
                .contains(DocumentOperation.DELETE);
        authorized().get("/v3/container-tags/" + t).then().statusCode(404);
        authorized().delete("/v3/container-tags/" + t).then().statusCode(404);
    }

    @Test
    void aMergeMovesTheSourceTagsDocumentsToTheTargetAndReportsItsProgress() {
        String target = unique("merge_target");
        String first = unique("merge_a");
        String second = unique("merge_b");
        String inTarget = add(Map.of("content", "already there", "containerTag", target));
        String a = add(Map.of("content", "from a", "containerTag", first));
        String b1 = add(Map.of("content", "from b, one", "containerTag", second));
        String b2 = add(Map.of("content", "from b, two", "containerTag", second));
        json().body(Map.of(
                        "conversationId", unique("conv"),
                        "containerTags", List.of(second),
                        "messages", List.of(Map.of("role", "user", "content", "I like tea."))))
                .post("/v4/conversations")
                .then()
                .statusCode(200);

        JsonPath queued = json().body(Map.of("containerTags", List.of(first, second), "targetContainerTag", target))
                .post("/v3/container-tags/merge")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        assertThat(queued.getBoolean("success")).isTrue();
        assertThat(queued.getString("status")).isEqualTo("queued");
        assertThat(queued.getString("targetTag")).isEqualTo(target);
        assertThat(queued.getList("sourceTags")).containsExactly(first, second);
        String mergeId = queued.getString("mergeId");

        JsonPath done = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> authorized()
                                .get("/v3/container-tags/merge/" + mergeId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        status -> List.of("done", "failed").contains(status.getString("status")));
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("done");
        assertThat(done.getInt("documentsMoved")).isEqualTo(3);
        assertThat(done.getInt("documentsSkipped")).isEqualTo(1); // the conversation stays
        assertThat(done.getString("note")).contains("not moved");
        assertThat(done.getString("finishedAt")).isNotBlank();

        for (String id : List.of(a, b1, b2)) {
            JsonPath moved = get(id);
            assertThat(moved.getList("containerTags")).containsExactly(target);
            assertThat(moved.getString("status")).isEqualTo("queued"); // re-processed under the target
            // Events are keyed by tag, so the two revisions' events are on different partitions: no order between them.
            assertThat(DocumentTopic.awaitEvents(id, 2)).anySatisfy(event -> {
                assertThat(event.operation()).isEqualTo(DocumentOperation.UPSERT);
                assertThat(event.containerTag()).isEqualTo(target);
                assertThat(event.revision()).isEqualTo(2);
            });
        }
        assertThat(get(inTarget).getList("containerTags")).containsExactly(target);
        assertThat(tag(target).getInt("documentCount")).isEqualTo(4);
        authorized().get("/v3/container-tags/" + first).then().statusCode(404); // emptied, so deleted
        assertThat(tag(second).getInt("documentCount")).isEqualTo(1); // keeps its conversation
    }

    @Test
    void aBadMergeIsRefusedByFieldAndQueuesNothing() {
        String target = unique("merge_bad");
        String source = unique("merge_src");
        add(Map.of("content", "x", "containerTag", source));
        long before = TestDatabase.count("container_tag_merges");

        json().body(Map.of("containerTags", List.of(source)))
                .post("/v3/container-tags/merge")
                .then()
                .statusCode(400)
                .body("details", containsString("targetContainerTag"));
        json().body(Map.of("containerTags", List.of(), "targetContainerTag", target))
                .post("/v3/container-tags/merge")
                .then()
                .statusCode(400)
                .body("details", containsString("containerTags"));
        json().body(Map.of("containerTags", List.of(target), "targetContainerTag", target))
                .post("/v3/container-tags/merge")
                .then()
                .statusCode(400)
                .body("details", containsString("other than targetContainerTag"));
        json().body(Map.of("containerTags", List.of(source, "bad tag"), "targetContainerTag", target))
                .post("/v3/container-tags/merge")
                .then()
                .statusCode(400)
                .body("details", containsString("containerTags[1]"));
        json().body(Map.of("containerTags", List.of(unique("missing")), "targetContainerTag", target))
                .post("/v3/container-tags/merge")
                .then()
                .statusCode(404);
        authorized().get("/v3/container-tags/merge/merge_unknown").then().statusCode(404);

        assertThat(TestDatabase.count("container_tag_merges")).isEqualTo(before);
    }

    @Test
    void aScopedKeyCannotAdministerContainerTags() {
        String t = unique("tag_scoped");
        add(Map.of("content", "x", "containerTag", t));
        String scoped = json().body(Map.of("containerTag", t))
                .post("/v3/auth/scoped-key")
                .then()
                .statusCode(200)
                .extract()
                .path("key");
        Supplier<RequestSpecification> as =
                () -> given().header("Authorization", "Bearer " + scoped).contentType(ContentType.JSON);

        as.get().get("/v3/container-tags/list").then().statusCode(403);
        as.get().get("/v3/container-tags/" + t).then().statusCode(403);
        as.get()
                .body(Map.of("name", "x"))
                .patch("/v3/container-tags/" + t)
                .then()
                .statusCode(403);
        as.get().delete("/v3/container-tags/" + t).then().statusCode(403);
        as.get()
                .body(Map.of("containerTags", List.of(t), "targetContainerTag", t + "_x"))
                .post("/v3/container-tags/merge")
                .then()
                .statusCode(403);
        assertThat(tag(t).getInt("documentCount")).isEqualTo(1);
    }
}

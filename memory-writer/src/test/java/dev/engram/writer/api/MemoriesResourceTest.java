package dev.engram.writer.api;

import static dev.engram.writer.api.MemoryApi.create;
import static dev.engram.writer.api.MemoryApi.createOne;
import static dev.engram.writer.api.MemoryApi.json;
import static dev.engram.writer.api.MemoryApi.list;
import static dev.engram.writer.api.MemoryApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.core.text.StorableText;
import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.MemoryTables;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The memory write API end to end: real PostgreSQL, ONNX model and Lucene index. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class MemoriesResourceTest {

    @Inject
    VectorStore vectors;

    @Inject
    TextEmbedder embedder;

    @Test
    void createdMemoriesAreListedWithTheirSourceDocument() {
        String tag = unique("create");
        JsonPath created = create(
                tag,
                List.of(
                        Map.of(
                                "content",
                                "John prefers dark mode",
                                "isStatic",
                                true,
                                "metadata",
                                Map.of("topic", "ui", "weight", 2, "tags", List.of("a", "b")),
                                "temporalContext",
                                Map.of("documentDate", "2025-03-01", "eventDate", List.of("2025-02-27T10:00:00Z"))),
                        Map.of("content", "John lives in Lisbon")));

        String documentId = created.getString("documentId");
        assertThat(documentId).hasSize(22);
        assertThat(created.getList("memories")).hasSize(2);
        String id = created.getString("memories[0].id");
        assertThat(created.getString("memories[0].memory")).isEqualTo("John prefers dark mode");
        assertThat(created.getBoolean("memories[0].isStatic")).isTrue();
        assertThat(created.getInt("memories[0].version")).isEqualTo(1);
        assertThat(created.getString("memories[0].parentMemoryId")).isNull();
        assertThat(created.getString("memories[0].rootMemoryId")).isEqualTo(id);
        assertThat(created.getBoolean("memories[0].isLatest")).isTrue();
        assertThat(created.getString("memories[0].forgetAfter")).isNull();
        assertThat(created.getMap("memories[0].metadata"))
                .containsEntry("topic", "ui")
                .containsEntry("weight", 2)
                .containsEntry("tags", List.of("a", "b"));
        assertThat(created.getString("memories[0].temporalContext.documentDate"))
                .isEqualTo("2025-03-01T00:00:00Z");
        assertThat(created.getList("memories[0].temporalContext.eventDate", String.class))
                .containsExactly("2025-02-27T10:00:00Z");
        assertThat(created.getString("memories[0].createdAt")).isNotBlank();
        assertThat(created.getString("memories[1].temporalContext")).isNull();

        JsonPath listed = list(tag);
        assertThat(listed.getList("memoryEntries.memory", String.class))
                .containsExactlyInAnyOrder("John prefers dark mode", "John lives in Lisbon");
        assertThat(listed.getList("memoryEntries.documentIds", List.class))
                .allSatisfy(ids -> assertThat(ids).containsExactly(documentId));
        assertThat(listed.getList("memoryEntries.history", List.class))
                .allSatisfy(h -> assertThat(h).isEmpty());
        assertThat(listed.getInt("pagination.totalItems")).isEqualTo(2);
    }

    @Test
    void createdMemoriesAreSearchableAsSoonAsTheResponseArrives() {
        String tag = unique("searchable");
        String id = createOne(tag, "The office wifi password is on the fridge");

        List<VectorHit> hits = search(tag, "where is the wifi password");

        assertThat(hits).extracting(h -> h.point().id()).containsExactly(id);
        VectorHit hit = hits.get(0);
        assertThat(hit.point().text()).isEqualTo("The office wifi password is on the fridge");
        assertThat(hit.point().attributes())
                .containsEntry("isLatest", true)
                .containsEntry("isForgotten", false)
                .containsEntry("rootMemoryId", id)
                .doesNotContainKey("parentMemoryId")
                .doesNotContainKey("forgetAfter");
    }

    @Test
    void createPublishesTheLightSourceDocumentThroughTheOutbox() {
        String tag = unique("outbox");
        JsonPath created =
                create(tag, List.of(Map.of("content", "Ana likes tea"), Map.of("content", "Ana plays the cello")));
        String documentId = created.getString("documentId");

        var records = KafkaProbe.onTestBroker()
                .read(
                        Topics.DOCUMENTS,
                        r -> r.value().contains(documentId),
                        found -> !found.isEmpty(),
                        Duration.ofSeconds(30));

        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(tag);
        DocumentEvent event = EventJson.read(records.get(0).value(), DocumentEvent.class);
        assertThat(event.documentId()).isEqualTo(documentId);
        assertThat(event.containerTag()).isEqualTo(tag);
        assertThat(event.orgId()).isEqualTo("org_default");
        assertThat(event.operation()).isEqualTo(DocumentOperation.UPSERT);
        assertThat(event.recordsDirectMemories()).isTrue();
        assertThat(event.revision()).isEqualTo(1);
        assertThat(event.content()).isEqualTo("Ana likes tea\nAna plays the cello");
        // Relayed and removed from the outbox.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> MemoryTables.outboxRows(tag) == 0);
    }

    @Test
    void moreThanOneHundredMemoriesAreRefusedAndNothingIsStored() {
        String tag = unique("toomany");
        List<Map<String, Object>> memories = IntStream.range(0, 101)
                .mapToObj(i -> Map.<String, Object>of("content", "fact " + i))
                .toList();

        json().body(Map.of("containerTag", tag, "memories", memories))
                .post("/v4/memories")
                .then()
                .statusCode(400)
                .body("error", equalTo("Invalid request"))
                .body("details", containsString("memories: must have 1 to 100 entries"));

        assertThat(MemoryTables.memoryRows(tag)).isZero();
        assertThat(MemoryTables.outboxRows(tag)).isZero();
    }

    @Test
    void badMemoriesAreRefusedWithTheFieldAtFaultAndNothingIsStored() {
        String tag = unique("bad");
        Map<String, Object> good = Map.of("content", "a good fact");
        List<Object[]> cases = List.of(
                new Object[] {List.of(good, Map.of("content", "")), "memories[1].content: must not be empty"},
                new Object[] {List.of(Map.of("content", "   ")), "memories[0].content: must not be empty"},
                new Object[] {List.of(Map.of("content", "x".repeat(10_001))), "at most 10000 characters"},
                new Object[] {List.of(), "memories: must have 1 to 100 entries"},
                new Object[] {
                    List.of(Map.of("content", "x", "metadata", Map.of("nested", Map.of("a", 1)))),
                    "memories[0].metadata.nested"
                },
                new Object[] {List.of(Map.of("content", "x", "forgetAfter", "next tuesday")), "memories[0].forgetAfter"
                },
                new Object[] {List.of(Map.of("content", "x", "isStatic", "maybe")), "memories[0].isStatic"});
        for (Object[] c : cases) {
            json().body(Map.of("containerTag", tag, "memories", c[0]))
                    .post("/v4/memories")
                    .then()
                    .statusCode(400)
                    .body("details", containsString((String) c[1]));
        }
        json().body(Map.of("containerTag", "bad tag!", "memories", List.of(good)))
                .post("/v4/memories")
                .then()
                .statusCode(400)
                .body("details", containsString("containerTag"));
        json().body(Map.of("memories", List.of(good)))
                .post("/v4/memories")
                .then()
                .statusCode(400)
                .body("details", equalTo("containerTag: is required"));
        json().body("{not json").post("/v4/memories").then().statusCode(400).body("error", equalTo("Invalid request"));
        // a whole valid request followed by anything is not one JSON value: refused, not half-read
        json().body("{\"containerTag\":\"" + tag + "\",\"memories\":[{\"content\":\"Ann likes tea.\"}]} junk")
                .post("/v4/memories")
                .then()
                .statusCode(400)
                .body("error", equalTo("Invalid request"));

        assertThat(MemoryTables.memoryRows(tag)).isZero();
        assertThat(MemoryTables.outboxRows(tag)).isZero();
    }

    @Test
    void unstorableTextIsRefusedByNameAndNothingIsStored() {
        String tag = unique("unstorable");
        List<String[]> cases = List.of(
                new String[] {
                    "POST",
                    "{\"containerTag\":\"" + tag + "\",\"memories\":[{\"content\":\"a\\u0000\"}]}",
                    "memories[0].content: " + StorableText.NUL
                },
                new String[] {
                    "POST",
                    "{\"containerTag\":\"" + tag
                            + "\",\"memories\":[{\"content\":\"x\",\"metadata\":{\"k\\u0000\":1}}]}",
                    "memories[0].metadata: has a key that " + StorableText.NUL
                },
                new String[] {
                    "PATCH",
                    "{\"containerTag\":\"" + tag + "\",\"content\":\"\\ud800\",\"newContent\":\"y\"}",
                    "content: " + StorableText.UNPAIRED_SURROGATE
                },
                new String[] {
                    "DELETE",
                    "{\"containerTag\":\"" + tag + "\",\"content\":\"a\\u0000\"}",
                    "content: " + StorableText.NUL
                });
        for (String[] c : cases) {
            json().body(c[1])
                    .request(c[0], "/v4/memories")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("Invalid request"))
                    .body("details", equalTo(c[2]));
        }

        assertThat(MemoryTables.memoryRows(tag)).isZero();
        assertThat(MemoryTables.outboxRows(tag)).isZero();
    }

    @Test
    void updateCreatesTheNextVersionAndKeepsTheOldOneAsHistoryWithInheritedFields() {
        String tag = unique("update");
        JsonPath created = create(
                tag,
                List.of(Map.of(
                        "content",
                        "John prefers dark mode",
                        "isStatic",
                        true,
                        "metadata",
                        Map.of("topic", "ui"),
                        "forgetAfter",
                        "2999-01-01T00:00:00Z",
                        "forgetReason",
                        "review yearly",
                        "temporalContext",
                        Map.of("documentDate", "2025-03-01T00:00:00Z"))));
        String v1 = created.getString("memories[0].id");
        String documentId = created.getString("documentId");

        JsonPath v2 = json().body(Map.of("containerTag", tag, "id", v1, "newContent", "John now prefers light mode"))
                .patch("/v4/memories")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        String v2Id = v2.getString("id");
        assertThat(v2Id).isNotEqualTo(v1);
        assertThat(v2.getString("memory")).isEqualTo("John now prefers light mode");
        assertThat(v2.getInt("version")).isEqualTo(2);
        assertThat(v2.getString("parentMemoryId")).isEqualTo(v1);
        assertThat(v2.getString("rootMemoryId")).isEqualTo(v1);
        assertThat(v2.getString("createdAt")).isNotBlank();
        assertThat(v2.getMap("metadata")).isEqualTo(Map.of("topic", "ui"));
        assertThat(v2.getString("forgetAfter")).isEqualTo("2999-01-01T00:00:00Z");
        assertThat(v2.getString("forgetReason")).isEqualTo("review yearly");
        assertThat(v2.getBoolean("isStatic")).isTrue();
        assertThat(v2.getString("temporalContext.documentDate")).isEqualTo("2025-03-01T00:00:00Z");

        JsonPath listed = list(tag);
        assertThat(listed.getList("memoryEntries.id", String.class)).containsExactly(v2Id);
        assertThat(listed.getBoolean("memoryEntries[0].isLatest")).isTrue();
        assertThat(listed.getList("memoryEntries[0].history.id", String.class)).containsExactly(v1);
        assertThat(listed.getBoolean("memoryEntries[0].history[0].isLatest")).isFalse();
        assertThat(listed.getList("memoryEntries[0].memoryRelations", Map.class))
                .containsExactly(Map.of("memoryId", v1, "relation", "updates", "direction", "outgoing"));
        assertThat(listed.getList("memoryEntries[0].documentIds", String.class)).containsExactly(documentId);
        assertThat(MemoryTables.memory(v1)).containsEntry("is_latest", "false");
    }

    @Test
    void updateByExactContentFindsTheMemory() {
        String tag = unique("bycontent");
        String v1 = createOne(tag, "Ana lives in Paris");
        createOne(tag, "Ana lives in Paris, France");

        json().body(Map.of("containerTag", tag, "content", "Ana lives in Paris", "newContent", "Ana lives in Berlin"))
                .patch("/v4/memories")
                .then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("parentMemoryId", equalTo(v1))
                .body("memory", equalTo("Ana lives in Berlin"));
    }

    @Test
    void updateCanChangeOrClearTheExpiryAndMergesTheTemporalContext() {
        String tag = unique("expiry");
        String v1 = create(
                        tag,
                        List.of(Map.of(
                                "content",
                                "The trial ends soon",
                                "forgetAfter",
                                "2999-01-01T00:00:00Z",
                                "forgetReason",
                                "trial",
                                "metadata",
                                Map.of("k", "v"),
                                "temporalContext",
                                Map.of("documentDate", "2025-01-01", "eventDate", List.of("2025-02-01")))))
                .getString("memories[0].id");
        Map<String, Object> patch = new HashMap<>();
        patch.put("containerTag", tag);
        patch.put("id", v1);
        patch.put("newContent", "The trial was extended");
        patch.put("forgetAfter", null);
        patch.put("metadata", Map.of("k", "w"));
        patch.put("temporalContext", Map.of("eventDate", List.of("2025-03-01")));

        json().body(patch)
                .patch("/v4/memories")
                .then()
                .statusCode(200)
                .body("forgetAfter", nullValue())
                .body("forgetReason", nullValue())
                .body("metadata.k", equalTo("w"))
                .body("temporalContext.documentDate", equalTo("2025-01-01T00:00:00Z"))
                .body("temporalContext.eventDate[0]", equalTo("2025-03-01T00:00:00Z"));
    }

    @Test
    void updatingAnOldVersionIsAConflictThatNamesTheLatest() {
        String tag = unique("oldversion");
        String v1 = createOne(tag, "The car is red");
        String v2 = updateById(tag, v1, "The car is blue").getString("id");

        json().body(Map.of("containerTag", tag, "id", v1, "newContent", "The car is green"))
                .patch("/v4/memories")
                .then()
                .statusCode(409)
                .body("error", equalTo("Conflict"))
                .body("details", containsString(v2));
        // by content, the old text names the old version too
        json().body(Map.of("containerTag", tag, "content", "The car is red", "newContent", "The car is green"))
                .patch("/v4/memories")
                .then()
                .statusCode(409)
                .body("details", containsString(v2));
        assertThat(MemoryTables.memoryRows(tag)).isEqualTo(2);
    }

    @Test
    void updatingAnUnknownMemoryOrOneOfAnotherTagIsNotFound() {
        String tag = unique("unknown");
        String other = createOne(unique("other"), "A fact of another tag");

        json().body(Map.of("containerTag", tag, "id", "nosuchmemory", "newContent", "x"))
                .patch("/v4/memories")
                .then()
                .statusCode(404)
                .body("error", equalTo("Not found"))
                .body("details", containsString("nosuchmemory"));
        json().body(Map.of("containerTag", tag, "id", other, "newContent", "x"))
                .patch("/v4/memories")
                .then()
                .statusCode(404);
        json().body(Map.of("containerTag", tag, "content", "A fact of another tag", "newContent", "x"))
                .patch("/v4/memories")
                .then()
                .statusCode(404);
        json().body(Map.of("containerTag", tag, "newContent", "x"))
                .patch("/v4/memories")
                .then()
                .statusCode(400);
        json().body(Map.of("containerTag", tag, "id", other, "newContent", ""))
                .patch("/v4/memories")
                .then()
                .statusCode(400)
                .body("details", containsString("newContent"));
        assertThat(MemoryTables.memoryRows(tag)).isZero();
    }

    @Test
    void concurrentUpdatesOfOneMemoryMakeOneNewVersionAndOneConflict() {
        String tag = unique("race");
        String v1 = createOne(tag, "The meeting is on Monday");

        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (String day : List.of("Tuesday", "Wednesday")) {
            calls.add(CompletableFuture.supplyAsync(
                    () -> json().body(Map.of("containerTag", tag, "id", v1, "newContent", "The meeting is on " + day))
                            .patch("/v4/memories")
                            .statusCode()));
        }

        List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        assertThat(MemoryTables.memoryRows(tag)).isEqualTo(2);
        assertThat(list(tag).getList("memoryEntries.version", Integer.class)).containsExactly(2);
    }

    @Test
    void theVectorPointOfAnUpdatedMemoryIsNoLongerLatest() {
        String tag = unique("points");
        String v1 = createOne(tag, "Maria's favourite colour is green");
        String v2 = updateById(tag, v1, "Maria's favourite colour is purple").getString("id");

        Map<String, VectorHit> hits = new HashMap<>();
        search(tag, "favourite colour").forEach(h -> hits.put(h.point().id(), h));

        assertThat(hits).containsOnlyKeys(v1, v2);
        assertThat(hits.get(v1).point().attributes())
                .containsEntry("isLatest", false)
                .containsEntry("version", 1L);
        assertThat(hits.get(v2).point().attributes())
                .containsEntry("isLatest", true)
                .containsEntry("version", 2L)
                .containsEntry("parentMemoryId", v1)
                .containsEntry("rootMemoryId", v1);
        assertThat(hits.get(v2).point().documentId())
                .isEqualTo(hits.get(v1).point().documentId());
    }

    @Test
    void forgetMarksTheMemoryForgottenOnceThenConflicts() {
        String tag = unique("forget");
        String id = createOne(tag, "The user is allergic to peanuts");

        json().body(Map.of("containerTag", tag, "id", id, "reason", "asked to forget"))
                .delete("/v4/memories")
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("forgotten", equalTo(true));

        assertThat(MemoryTables.memory(id))
                .containsEntry("is_forgotten", "true")
                .containsEntry("forget_reason", "asked to forget");
        assertThat(list(tag).getList("memoryEntries")).isEmpty();
        JsonPath withForgotten = list(Map.of("containerTags", List.of(tag), "includeForgotten", true));
        assertThat(withForgotten.getList("memoryEntries.id", String.class)).containsExactly(id);
        assertThat(withForgotten.getBoolean("memoryEntries[0].isForgotten")).isTrue();
        assertThat(search(tag, "peanut allergy").get(0).point().attributes()).containsEntry("isForgotten", true);

        json().body(Map.of("containerTag", tag, "id", id))
                .delete("/v4/memories")
                .then()
                .statusCode(409)
                .body("details", containsString("already forgotten"));
        json().body(Map.of("containerTag", tag, "id", id, "newContent", "x"))
                .patch("/v4/memories")
                .then()
                .statusCode(409)
                .body("details", containsString("forgotten"));
    }

    @Test
    void forgetOfAnUnknownMemoryOrOneOfAnotherTagIsNotFound() {
        String tag = unique("forget404");
        String id = createOne(tag, "Forget me not");

        json().body(Map.of("containerTag", unique("elsewhere"), "id", id))
                .delete("/v4/memories")
                .then()
                .statusCode(404)
                .body("error", equalTo("Not found"));
        json().body(Map.of("containerTag", tag, "id", "missing" + id))
                .delete("/v4/memories")
                .then()
                .statusCode(404);
        json().body(Map.of("containerTag", tag, "content", "Forget me"))
                .delete("/v4/memories")
                .then()
                .statusCode(404);
        assertThat(MemoryTables.memory(id)).containsEntry("is_forgotten", "false");

        json().body(Map.of("containerTag", tag, "content", "Forget me not"))
                .delete("/v4/memories")
                .then()
                .statusCode(200)
                .body("id", equalTo(id));
    }

    @Test
    void requestsWithoutTheApiKeyAreRefusedButHealthStaysOpen() {
        given().contentType(ContentType.JSON)
                .body(Map.of("containerTag", "t", "memories", List.of(Map.of("content", "x"))))
                .post("/v4/memories")
                .then()
                .statusCode(401)
                .body("error", equalTo("Unauthorized"))
                .body("details", notNullValue());
        given().header("Authorization", "Bearer wrong")
                .contentType(ContentType.JSON)
                .body(Map.of())
                .post("/v4/memories/list")
                .then()
                .statusCode(401)
                .body("details", equalTo("The API key is not valid."));
        given().contentType(ContentType.JSON)
                .body(Map.of("containerTag", "t", "id", "x"))
                .delete("/v4/memories")
                .then()
                .statusCode(401);
        given().get("/q/health/live").then().statusCode(200);
    }

    private static JsonPath updateById(String tag, String id, String newContent) {
        return json().body(Map.of("containerTag", tag, "id", id, "newContent", newContent))
                .patch("/v4/memories")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private List<VectorHit> search(String tag, String query) {
        return vectors.search(
                VectorKind.MEMORIES,
                new VectorQuery(
                        "org_default",
                        List.of(tag),
                        embedder.embed(List.of(query)).get(0),
                        10,
                        null,
                        List.of()));
    }
}

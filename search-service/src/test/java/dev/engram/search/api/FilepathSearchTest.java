package dev.engram.search.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.search.support.SearchFixtures;
import dev.engram.search.support.SearchFixtures.MemorySpec;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code filepath} on {@code /v3/search} and {@code /v4/search}: an exact path, or everything under a prefix ending in
 * {@code /} (literally: no wildcards), for chunks and for memories through their source document.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class FilepathSearchTest {

    private static final String TEXT = "The deployment runbook says to drain the queue before restarting the broker.";

    @Inject
    SearchFixtures fixtures;

    private String tag;
    private String root;
    private String underA;
    private String deeper;
    private String lookalike;
    private String exact;
    private String sibling;
    private final Map<String, String> memoryOf = new HashMap<>();

    private static String newId(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Five documents with the same text at different paths, each with one chunk and one memory. */
    @BeforeEach
    void corpus() {
        tag = newId("team");
        root = "/" + newId("repo");
        underA = document(root + "/a_1/x.md");
        deeper = document(root + "/a_1/sub/y.md");
        lookalike = document(root + "/aX1/z.md");
        exact = document(root + "/exact.md");
        sibling = document(root + "/exact.md.bak");
    }

    private String document(String path) {
        String id = newId("doc");
        fixtures.documentAt(id, tag, path);
        fixtures.chunks(id, tag, Map.of(), TEXT);
        MemorySpec memory = MemorySpec.of(tag, TEXT);
        fixtures.memoriesFrom(id, memory);
        fixtures.source(memory.id(), id);
        memoryOf.put(id, memory.id());
        return id;
    }

    private static ValidatableResponse post(String path, Map<String, Object> body) {
        return given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body(body)
                .post(path)
                .then();
    }

    private List<String> documents(String filepath) {
        return post("/v3/search", Map.of("q", "drain the queue", "containerTag", tag, "filepath", filepath))
                .statusCode(200)
                .body("containsKey('warnings')", equalTo(false))
                .extract()
                .path("results.documentId");
    }

    private List<String> v4(String mode, String filepath) {
        return post(
                        "/v4/search",
                        Map.of(
                                "q",
                                "drain the queue",
                                "containerTag",
                                tag,
                                "threshold",
                                0,
                                "searchMode",
                                mode,
                                "filepath",
                                filepath))
                .statusCode(200)
                .body("containsKey('warnings')", equalTo(false))
                .extract()
                .path("results.id");
    }

    @Test
    void anExactPathSelectsThatDocumentOnlyOnV3() {
        assertThat(documents(root + "/exact.md")).containsExactly(exact);
    }

    @Test
    void aPathEndingInSlashSelectsEverythingUnderItLiterallyOnV3() {
        assertThat(documents(root + "/a_1/")).containsExactlyInAnyOrder(underA, deeper);
        assertThat(documents(root + "/")).containsExactlyInAnyOrder(underA, deeper, lookalike, exact, sibling);
        // '_' and '%' are not wildcards, and a path without a trailing slash is not a prefix
        assertThat(documents(root + "/%/")).isEmpty();
        assertThat(documents(root + "/a_1")).isEmpty();
    }

    @Test
    void filepathNarrowsDocId() {
        List<String> ids = post(
                        "/v3/search",
                        Map.of("q", "drain the queue", "containerTag", tag, "docId", exact, "filepath", root + "/a_1/"))
                .statusCode(200)
                .extract()
                .path("results.documentId");
        assertThat(ids).isEmpty();
    }

    @Test
    void chunksOnV4AreFilteredByTheirDocumentsPath() {
        assertThat(v4("documents", root + "/a_1/")).containsExactlyInAnyOrder(underA + "_0", deeper + "_0");
        assertThat(v4("documents", root + "/exact.md")).containsExactly(exact + "_0");
    }

    @Test
    void memoriesAreFilteredByTheirSourceDocumentsPath() {
        assertThat(v4("memories", root + "/a_1/"))
                .containsExactlyInAnyOrder(memoryOf.get(underA), memoryOf.get(deeper));
        assertThat(v4("memories", root + "/exact.md.bak")).containsExactly(memoryOf.get(sibling));
        assertThat(v4("hybrid", root + "/exact.md")).containsExactlyInAnyOrder(memoryOf.get(exact), exact + "_0");
    }

    @Test
    void aPathNoDocumentHasFindsNothing() {
        assertThat(v4("memories", root + "/nowhere/")).isEmpty();
        assertThat(v4("hybrid", root + "/nowhere.md")).isEmpty();
        assertThat(documents(root + "/nowhere.md")).isEmpty();
    }

    @Test
    void aBlankFilepathIsA400NamingTheField() {
        post("/v4/search", Map.of("q", "x", "filepath", " "))
                .statusCode(400)
                .body("details", containsString("filepath"));
        post("/v3/search", Map.of("q", "x", "filepath", ""))
                .statusCode(400)
                .body("details", containsString("filepath"));
    }
}

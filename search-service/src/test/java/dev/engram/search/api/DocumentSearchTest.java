package dev.engram.search.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.engram.search.support.SearchFixtures;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentSearchTest {

    @Inject
    SearchFixtures fixtures;

    private static String newId(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse search(Map<String, Object> body) {
        return given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v3/search")
                .then();
    }

    /** Two documents in one tag: a recipe (three chunks) and a travel note (one chunk). */
    private record Corpus(String tag, String recipe, String travel) {}

    private Corpus corpus() {
        String tag = newId("team");
        String recipe = newId("doc");
        String travel = newId("doc");
        fixtures.document(recipe, tag, "Sourdough recipe", "text", "The whole recipe.", Map.of("kind", "recipe"));
        fixtures.document(travel, tag, "Kyoto notes", "webpage", "The whole travel note.", Map.of("kind", "travel"));
        fixtures.chunks(
                recipe,
                tag,
                Map.of("kind", "recipe"),
                "Feed the sourdough starter with flour and water the night before.",
                "Knead the dough for ten minutes and let it rise for four hours.",
                "Bake the loaf at 250 degrees in a Dutch oven for forty minutes.");
        fixtures.chunks(
                travel, tag, Map.of("kind", "travel"), "In Kyoto we visited the Fushimi Inari shrine at sunrise.");
        return new Corpus(tag, recipe, travel);
    }

    @Test
    void chunksAreGroupedByDocumentWithTheDocumentsTitleAndType() {
        Corpus corpus = corpus();
        search(Map.of("q", "how long should the bread bake in the oven", "containerTag", corpus.tag()))
                .statusCode(200)
                .body("total", equalTo(2))
                .body("results[0].documentId", equalTo(corpus.recipe()))
                .body("results[0].title", equalTo("Sourdough recipe"))
                .body("results[0].type", equalTo("text"))
                .body("results[0].metadata.kind", equalTo("recipe"))
                .body("results[0].chunks.size()", equalTo(3))
                .body("results[0].chunks[0].content", containsString("Bake the loaf"))
                .body("results[0].chunks[0].isRelevant", equalTo(true))
                .body("results[0].createdAt", containsString("T"))
                .body("results[0].containsKey('content')", equalTo(false))
                .body("results[1].documentId", equalTo(corpus.travel()))
                .body("results[1].type", equalTo("webpage"));
        List<Float> scores = search(
                        Map.of("q", "how long should the bread bake in the oven", "containerTag", corpus.tag()))
                .extract()
                .path("results[0].chunks.score");
        assertThat(scores).isSortedAccordingTo((a, b) -> Float.compare(b, a));
    }

    @Test
    void chunkThresholdLimitAndFullDocs() {
        Corpus corpus = corpus();
        search(Map.of(
                        "q",
                        "bake the loaf in a Dutch oven",
                        "containerTag",
                        corpus.tag(),
                        "chunkThreshold",
                        0.5,
                        "limit",
                        1,
                        "includeFullDocs",
                        true))
                .statusCode(200)
                .body("total", equalTo(1))
                .body("results[0].documentId", equalTo(corpus.recipe()))
                .body("results[0].chunks.size()", equalTo(1))
                .body("results[0].content", equalTo("The whole recipe."));
    }

    @Test
    void neighbouringChunksAreAddedInDocumentOrderWhenNotOnlyMatching() {
        Corpus corpus = corpus();
        search(Map.of(
                        "q",
                        "knead the dough and let it rise",
                        "containerTag",
                        corpus.tag(),
                        "chunkThreshold",
                        0.6,
                        "docId",
                        corpus.recipe(),
                        "onlyMatchingChunks",
                        false))
                .statusCode(200)
                .body("total", equalTo(1))
                .body("results[0].chunks.content[0]", containsString("Feed the sourdough"))
                .body("results[0].chunks.isRelevant", equalTo(List.of(false, true, false)))
                .body("results[0].chunks.content[2]", containsString("Bake the loaf"));
    }

    @Test
    void filtersAndTagsScopeTheDocuments() {
        Corpus corpus = corpus();
        Corpus other = corpus();
        Map<String, Object> filters = Map.of("AND", List.of(Map.of("key", "kind", "value", "travel")));
        search(Map.of("q", "bread", "containerTags", List.of(corpus.tag()), "filters", filters))
                .statusCode(200)
                .body("results.documentId", equalTo(List.of(corpus.travel())));
        search(Map.of("q", "bread", "containerTag", corpus.tag()))
                .statusCode(200)
                .body("results.documentId", not(hasItem(other.recipe())))
                .body("results.documentId", not(hasItem(other.travel())));
    }

    @Test
    void rerankAndRewriteQueryAreReportedAsUnavailableWithoutAnLlm() {
        Corpus corpus = corpus();
        search(Map.of("q", "bread", "containerTag", corpus.tag(), "rerank", true, "rewriteQuery", true))
                .statusCode(200)
                .body("results.documentId", hasItem(corpus.recipe()))
                .body("warnings", hasItem(containsString("rerank is not available")))
                .body("warnings", hasItem(containsString("rewriteQuery is not available")));
    }
}

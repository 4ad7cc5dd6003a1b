package dev.engram.search.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.engram.search.llm.ScriptedChat;
import dev.engram.search.llm.ScriptedChat.Answer;
import dev.engram.search.support.SearchFixtures;
import dev.engram.search.support.SearchFixtures.MemorySpec;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rewriteQuery}, {@code rerank} and {@code aggregate} through a configured chat endpoint ({@link ScriptedChat}):
 * they change the search when the LLM answers, and leave it as it was with a warning when it fails, is slow or talks
 * nonsense — never an error status.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(ScriptedChat.class)
class LlmSearchTest {

    @Inject
    SearchFixtures fixtures;

    private String tag;
    private MemorySpec dog;
    private MemorySpec job;
    private MemorySpec violin;

    @BeforeEach
    void memories() {
        ScriptedChat.reset();
        tag = "user_" + UUID.randomUUID().toString().substring(0, 8);
        dog = MemorySpec.of(tag, "Alice has a golden retriever named Biscuit.");
        job = MemorySpec.of(tag, "Alice works as a nurse at the city hospital.");
        violin = MemorySpec.of(tag, "Alice is learning to play the violin.");
        fixtures.memories(dog, job, violin);
    }

    private static ValidatableResponse post(String path, Map<String, Object> body) {
        return given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body(body)
                .post(path)
                .then()
                .statusCode(200);
    }

    private ValidatableResponse search(Map<String, Object> extra) {
        Map<String, Object> body =
                new HashMap<>(Map.of("q", "Tell me about Alice", "containerTag", tag, "threshold", 0));
        body.putAll(extra);
        return post("/v4/search", body);
    }

    private List<String> ids(Map<String, Object> extra) {
        return search(extra).extract().path("results.id");
    }

    @Test
    void rerankOrdersTheResultsAsTheLlmSays() {
        List<String> retrieved = ids(Map.of());
        assertThat(retrieved).hasSize(3);
        ScriptedChat.when(ScriptedChat.RERANK, Answer.completion("{\"order\": [3, 1, 2]}"));

        List<String> reranked = search(Map.of("rerank", true))
                .body("containsKey('warnings')", equalTo(false))
                .extract()
                .path("results.id");

        assertThat(reranked).containsExactly(retrieved.get(2), retrieved.get(0), retrieved.get(1));
        String request = ScriptedChat.requests().getLast();
        assertThat(request)
                .contains("\"response_format\":{\"type\":\"json_object\"}")
                .contains("\"model\":\"scripted-model\"")
                .contains("Tell me about Alice")
                .contains("[1] ")
                .contains(dog.text());
    }

    @Test
    void rerankCanPullUpACandidateBeyondTheLimit() {
        List<String> retrieved = ids(Map.of());
        ScriptedChat.when(ScriptedChat.RERANK, Answer.completion("{\"order\": [3]}"));

        List<String> reranked = ids(Map.of("rerank", true, "limit", 1));

        assertThat(reranked).containsExactly(retrieved.get(2));
    }

    @Test
    void rewriteQuerySearchesWithTheRewrittenQuery() {
        ScriptedChat.when(
                ScriptedChat.REWRITE, Answer.completion("{\"query\": \"name of Alice's golden retriever dog\"}"));

        List<String> plain = post("/v4/search", Map.of("q", "zqx vvk", "containerTag", tag))
                .extract()
                .path("results.id");
        List<String> rewritten = post("/v4/search", Map.of("q", "zqx vvk", "containerTag", tag, "rewriteQuery", true))
                .body("containsKey('warnings')", equalTo(false))
                .extract()
                .path("results.id");

        assertThat(plain).doesNotContain(dog.id());
        assertThat(rewritten).first().isEqualTo(dog.id());
        assertThat(ScriptedChat.requests()).anyMatch(body -> body.contains("Query: zqx vvk"));
    }

    @Test
    void rewriteQueryAndRerankWorkOnV3Too() {
        String documentId = "doc_" + UUID.randomUUID();
        String other = "doc_" + UUID.randomUUID();
        fixtures.document(documentId, tag, "Pets", "text", "…", Map.of());
        fixtures.document(other, tag, "Work", "text", "…", Map.of());
        fixtures.chunks(documentId, tag, Map.of(), "Biscuit the golden retriever loves the beach.");
        fixtures.chunks(other, tag, Map.of(), "The hospital night shift starts at ten.");
        ScriptedChat.when(ScriptedChat.REWRITE, Answer.completion("{\"query\": \"golden retriever beach\"}"));
        ScriptedChat.when(ScriptedChat.RERANK, Answer.completion("{\"order\": [2, 1]}"));

        List<String> ids = post(
                        "/v3/search", Map.of("q", "zqx vvk", "containerTag", tag, "rewriteQuery", true, "rerank", true))
                .body("containsKey('warnings')", equalTo(false))
                .extract()
                .path("results.documentId");

        assertThat(ids).containsExactly(other, documentId); // retrieval put the pets document first; the LLM did not
        assertThat(ScriptedChat.requests()).anyMatch(body -> body.contains("Pets: Biscuit the golden retriever"));
    }

    @Test
    void aFailingRerankerKeepsTheRetrievalOrderWithAWarning() {
        List<String> retrieved = ids(Map.of());
        ScriptedChat.when(ScriptedChat.RERANK, new Answer(503, "{}", 0));

        search(Map.of("rerank", true))
                .body("results.id", equalTo(retrieved))
                .body("warnings", hasItem(startsWith("rerank failed: the LLM answered HTTP 503")));
    }

    @Test
    void aSlowRerankerTimesOutAndKeepsTheRetrievalOrder() {
        List<String> retrieved = ids(Map.of());
        ScriptedChat.when(
                ScriptedChat.RERANK, Answer.completion("{\"order\": [3, 2, 1]}").delayed(3_000));

        long started = System.nanoTime();
        search(Map.of("rerank", true))
                .body("results.id", equalTo(retrieved))
                .body("warnings", hasItem(containsString("did not answer within 1000 ms")));
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_900);
    }

    @Test
    void nonsenseFromTheLlmIsAWarningNotAnError() {
        ScriptedChat.when(ScriptedChat.RERANK, Answer.completion("I think the first one is best."));
        ScriptedChat.when(ScriptedChat.REWRITE, Answer.completion("{\"rewritten\": 42}"));
        ScriptedChat.when(ScriptedChat.AGGREGATE, new Answer(200, "not json", 0));

        search(Map.of("rerank", true, "rewriteQuery", true, "aggregate", true))
                .body("total", equalTo(3))
                .body("warnings", hasItem(startsWith("rerank failed: the LLM's answer held no JSON object")))
                .body("warnings", hasItem(startsWith("rewriteQuery failed: the LLM's answer held no rewritten query")))
                .body("warnings", hasItem(startsWith("aggregate failed: the LLM's response is not JSON")));
    }

    @Test
    void aggregateAddsSynthesizedMemoriesMarkedAsSuch() {
        List<String> retrieved = ids(Map.of());
        ScriptedChat.when(
                ScriptedChat.AGGREGATE,
                Answer.completion("{\"memories\": [{\"memory\": \"Alice, a nurse, has a golden retriever named"
                        + " Biscuit.\", \"sources\": [1, 2]}, {\"memory\": \"unsupported\", \"sources\": [1]}]}"));

        ValidatableResponse response = search(Map.of("aggregate", true))
                .body("containsKey('warnings')", equalTo(false))
                .body("total", equalTo(4));
        List<Map<String, Object>> results = response.extract().path("results");
        List<Map<String, Object>> aggregated = new ArrayList<>(results.stream()
                .filter(result -> Boolean.TRUE.equals(result.get("isAggregated")))
                .toList());
        assertThat(aggregated).hasSize(1);
        Map<String, Object> result = aggregated.getFirst();
        assertThat((String) result.get("id")).startsWith("agg_");
        assertThat(result.get("memory")).isEqualTo("Alice, a nurse, has a golden retriever named Biscuit.");
        assertThat(((Map<?, ?>) result.get("metadata")).get("aggregatedFrom"))
                .isEqualTo(List.of(retrieved.get(0), retrieved.get(1)));
        assertThat(((Number) result.get("similarity")).doubleValue()).isBetween(0.0, 1.0);
        assertThat(results.stream().filter(r -> !r.containsKey("isAggregated")).map(r -> r.get("id")))
                .containsExactlyElementsOf(retrieved);
    }

    @Test
    void aggregateInDocumentsModeSaysItHasNothingToCombine() {
        search(Map.of("aggregate", true, "searchMode", "documents"))
                .body("warnings", hasItem(containsString("searchMode 'documents' returns chunks only")));
        assertThat(ScriptedChat.requests()).isEmpty();
    }
}

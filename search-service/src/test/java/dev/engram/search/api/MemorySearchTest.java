package dev.engram.search.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.engram.search.support.SearchFixtures;
import dev.engram.search.support.SearchFixtures.MemorySpec;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class MemorySearchTest {

    @Inject
    SearchFixtures fixtures;

    private static String newTag() {
        return "user_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse search(Map<String, Object> body) {
        return given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v4/search")
                .then();
    }

    @Test
    void theMostSimilarMemoryComesFirstWithItsIdVersionAndMetadata() {
        String tag = newTag();
        MemorySpec dog = MemorySpec.of(tag, "Alice has a golden retriever named Biscuit.")
                .withMetadata(Map.of("source", "chat"));
        fixtures.memories(
                MemorySpec.of(tag, "Alice works as a nurse at the city hospital."),
                dog,
                MemorySpec.of(tag, "Alice is learning to play the violin."));

        search(Map.of("q", "What is the name of Alice's dog?", "containerTag", tag, "threshold", 0.2))
                .statusCode(200)
                .body("results[0].id", equalTo(dog.id()))
                .body("results[0].memory", equalTo(dog.text()))
                .body("results[0].metadata.source", equalTo("chat"))
                .body("results[0].version", equalTo(1))
                .body("results[0].updatedAt", containsString("T"))
                .body("results[0].containsKey('chunk')", equalTo(false))
                .body("results[0].containsKey('context')", equalTo(false))
                .body("total", equalTo(3))
                .body("timing", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .body("containsKey('warnings')", equalTo(false));
    }

    @Test
    void supersededForgottenAndExpiredMemoriesAreLeftOut() {
        String tag = newTag();
        MemorySpec old = MemorySpec.of(tag, "Bob lives in Paris.");
        MemorySpec current = old.nextVersion("Bob lives in Berlin.");
        MemorySpec forgotten =
                MemorySpec.of(tag, "Bob lives in a flat near the river.").asForgotten();
        MemorySpec expired = MemorySpec.of(tag, "Bob lives with his sister until June.")
                .expiringAt(Instant.now().minus(Duration.ofMinutes(1)));
        fixtures.memories(old.superseded(), current, forgotten, expired);

        List<String> ids = search(Map.of("q", "Where does Bob live?", "containerTag", tag, "threshold", 0))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(ids).containsExactly(current.id());
    }

    @Test
    void aMemoryThatExpiredAMomentAgoIsLeftOut() {
        String tag = newTag();
        MemorySpec lasting = MemorySpec.of(tag, "Dora plays the cello.");
        MemorySpec justExpired = MemorySpec.of(tag, "Dora plays the cello in the school orchestra this term.")
                .expiringAt(Instant.now().minusMillis(200));
        fixtures.memories(lasting, justExpired);

        List<String> ids = search(Map.of("q", "What does Dora play?", "containerTag", tag, "threshold", 0))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(ids).containsExactly(lasting.id());
    }

    @Test
    void forgottenAndExpiredMemoriesComeBackWhenAskedFor() {
        String tag = newTag();
        MemorySpec forgotten =
                MemorySpec.of(tag, "Carol's favourite colour is green.").asForgotten();
        MemorySpec expired = MemorySpec.of(tag, "Carol's favourite colour is teal this week.")
                .expiringAt(Instant.now().minus(Duration.ofMinutes(1)));
        fixtures.memories(forgotten, expired);

        List<String> ids = search(Map.of(
                        "q",
                        "Carol's favourite colour",
                        "containerTag",
                        tag,
                        "threshold",
                        0,
                        "include",
                        Map.of("forgottenMemories", true)))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(ids).containsExactlyInAnyOrder(forgotten.id(), expired.id());
    }

    @Test
    void theThresholdCutsDissimilarMemories() {
        String tag = newTag();
        MemorySpec close = MemorySpec.of(tag, "Dave drinks espresso every morning.");
        MemorySpec far = MemorySpec.of(tag, "The quarterly tax filing deadline is in April.");
        fixtures.memories(close, far);

        List<Float> similarities = search(
                        Map.of("q", "Dave drinks espresso every morning", "containerTag", tag, "threshold", 0))
                .statusCode(200)
                .extract()
                .path("results.similarity");
        assertThat(similarities).hasSize(2);
        assertThat(similarities.get(0)).isGreaterThan(0.9f);
        assertThat(similarities.get(1)).isLessThan(0.5f);

        List<String> ids = search(Map.of("q", "Dave drinks espresso every morning", "containerTag", tag))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(ids).containsExactly(close.id());
    }

    @Test
    void anotherTagsMemoriesNeverAppear() {
        String mine = newTag();
        String theirs = newTag();
        MemorySpec own = MemorySpec.of(mine, "Erin plays chess on Sundays.");
        MemorySpec other = MemorySpec.of(theirs, "Erin plays chess on Sundays.");
        fixtures.memories(own, other);

        search(Map.of("q", "Erin plays chess on Sundays.", "containerTag", mine, "threshold", 0))
                .statusCode(200)
                .body("results.id", hasItem(own.id()))
                .body("results.id", not(hasItem(other.id())));
    }

    @Test
    void aMetadataFilterKeepsOnlyMatchingMemories() {
        String tag = newTag();
        MemorySpec work = MemorySpec.of(tag, "Frank's meeting with the design team is on Monday.")
                .withMetadata(Map.of("category", "work"));
        MemorySpec home = MemorySpec.of(tag, "Frank's meeting with the plumber is on Monday.")
                .withMetadata(Map.of("category", "home"));
        fixtures.memories(work, home);

        Map<String, Object> filters = Map.of("AND", List.of(Map.of("key", "category", "value", "home")));
        List<String> ids = search(Map.of(
                        "q", "Frank's meeting on Monday", "containerTag", tag, "threshold", 0, "filters", filters))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(ids).containsExactly(home.id());
    }

    @Test
    void relatedMemoriesGiveTheVersionChainAndRelations() {
        String tag = newTag();
        MemorySpec v1 = MemorySpec.of(tag, "Grace works at Acme.");
        MemorySpec v2 = v1.nextVersion("Grace works at Globex.");
        MemorySpec v3 = v2.nextVersion("Grace works at Initech as a data engineer.");
        MemorySpec detail = MemorySpec.of(tag, "Grace leads the data platform team at Initech.");
        fixtures.memories(v1.superseded(), v2.superseded(), v3, detail);
        fixtures.relation(v2.id(), v1.id(), "updates");
        fixtures.relation(v3.id(), v2.id(), "updates");
        fixtures.relation(detail.id(), v3.id(), "extends");

        search(Map.of(
                        "q",
                        "Where does Grace work?",
                        "containerTag",
                        tag,
                        "threshold",
                        0,
                        "limit",
                        1,
                        "include",
                        Map.of("relatedMemories", true)))
                .statusCode(200)
                .body("results[0].id", equalTo(v3.id()))
                .body("results[0].version", equalTo(3))
                .body("results[0].context.parents.memory", equalTo(List.of(v2.text(), v1.text())))
                .body("results[0].context.parents.version", equalTo(List.of(-1, -2)))
                .body("results[0].context.parents.relation", equalTo(List.of("updates", "updates")))
                .body("results[0].context.children", equalTo(List.of()))
                .body("results[0].context.related.memory", equalTo(List.of(detail.text())))
                .body("results[0].context.related.relation", equalTo(List.of("extends")));
    }

    @Test
    void documentsOfAMemoryAreIncludedWhenAskedFor() {
        String tag = newTag();
        String documentId = "doc_" + UUID.randomUUID();
        fixtures.document(documentId, tag, "Holiday plans", "text", "We fly to Lisbon.", Map.of("trip", "2026"));
        MemorySpec memory = MemorySpec.of(tag, "Heidi is flying to Lisbon in May.");
        fixtures.memories(memory);
        fixtures.source(memory.id(), documentId);

        search(Map.of("q", "Heidi's trip", "containerTag", tag, "threshold", 0, "include", Map.of("documents", true)))
                .statusCode(200)
                .body("results[0].documents[0].id", equalTo(documentId))
                .body("results[0].documents[0].title", equalTo("Holiday plans"))
                .body("results[0].documents[0].type", equalTo("text"))
                .body("results[0].documents[0].metadata.trip", equalTo("2026"));
    }

    @Test
    void rerankRewriteQueryAndAggregateAreReportedAsUnavailableWithoutAnLlm() {
        search(Map.of(
                        "q",
                        "anything",
                        "containerTag",
                        newTag(),
                        "rerank",
                        true,
                        "rewriteQuery",
                        true,
                        "aggregate",
                        true))
                .statusCode(200)
                .body("total", equalTo(0))
                .body("warnings", hasItem(containsString("rerank is not available")))
                .body("warnings", hasItem(containsString("rewriteQuery is not available")))
                .body("warnings", hasItem(containsString("aggregate is not available")));
    }

    @Test
    void documentsAndHybridModesReturnChunksBesideMemoriesBySimilarity() {
        String tag = newTag();
        String documentId = "doc_" + UUID.randomUUID();
        fixtures.document(documentId, tag, "Garden", "text", "…", Map.of("room", "garden"));
        fixtures.chunks(documentId, tag, Map.of("room", "garden"), "Ivan planted tomatoes and basil in the garden.");
        MemorySpec memory = MemorySpec.of(tag, "Ivan grows tomatoes in his garden.");
        fixtures.memories(memory);

        search(Map.of(
                        "q",
                        "What does Ivan grow in his garden?",
                        "containerTag",
                        tag,
                        "threshold",
                        0.3,
                        "searchMode",
                        "documents"))
                .statusCode(200)
                .body("total", equalTo(1))
                .body("results[0].id", equalTo(documentId + "_0"))
                .body("results[0].chunk", containsString("tomatoes and basil"))
                .body("results[0].metadata.room", equalTo("garden"))
                .body("results[0].containsKey('memory')", equalTo(false))
                .body("results[0].updatedAt", containsString("T"));

        List<Map<String, Object>> results = search(Map.of(
                        "q",
                        "What does Ivan grow in his garden?",
                        "containerTag",
                        tag,
                        "threshold",
                        0.3,
                        "searchMode",
                        "hybrid"))
                .statusCode(200)
                .body("total", equalTo(2))
                .extract()
                .path("results");
        assertThat(results)
                .extracting(result -> result.get("id"))
                .containsExactlyInAnyOrder(memory.id(), documentId + "_0");
        assertThat(results)
                .extracting(result -> ((Number) result.get("similarity")).doubleValue())
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }
}

package dev.engram.search.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.search.support.SearchFixtures;
import dev.engram.search.support.SearchFixtures.MemorySpec;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Memories equally similar to the query (the same text) are ordered by {@code MemoryRanking}: recent, static and
 * stated before old, dynamic and inferred; each case stored in both orders, so the index's order of ties cannot pass
 * the test by itself. The reported similarity stays the same for both.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class RankingTest {

    private static final String TEXT = "Jonas is training for the Berlin marathon in September.";
    private static final Instant NOW = Instant.now();

    @Inject
    SearchFixtures fixtures;

    private static String newTag() {
        return "user_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonPath search(String tag, String retrieval) {
        return given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body(Map.of("q", "Which marathon is Jonas training for?", "containerTag", tag, "retrieval", retrieval))
                .post("/v4/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Stores loser then winner in one tag and winner then loser in another; the winner must come first in both. */
    private void assertWinsTheTie(MemorySpec winner, MemorySpec loser, boolean inferLoser) {
        for (boolean loserFirst : List.of(true, false)) {
            String tag = newTag();
            MemorySpec w = copyTo(winner, tag);
            MemorySpec l = copyTo(loser, tag);
            if (loserFirst) {
                fixtures.memories(l, w);
            } else {
                fixtures.memories(w, l);
            }
            if (inferLoser) {
                fixtures.inferred(l.id());
            }
            for (String retrieval : List.of("hybrid", "dense")) {
                JsonPath body = search(tag, retrieval);
                assertThat(body.getList("results.id", String.class))
                        .as("%s, loser stored first: %s", retrieval, loserFirst)
                        .containsExactly(w.id(), l.id());
                List<Float> similarities = body.getList("results.similarity", Float.class);
                assertThat(similarities.get(0)).isEqualTo(similarities.get(1));
            }
        }
    }

    private static MemorySpec copyTo(MemorySpec spec, String tag) {
        MemorySpec copy = MemorySpec.of(tag, spec.text()).updatedAt(spec.updatedAt());
        return spec.isStatic() ? copy.asStatic(1) : copy;
    }

    @Test
    void theRecentlyUpdatedMemoryWinsATie() {
        assertWinsTheTie(
                MemorySpec.of("t", TEXT).updatedAt(NOW.minus(Duration.ofDays(1))),
                MemorySpec.of("t", TEXT).updatedAt(NOW.minus(Duration.ofDays(120))),
                false);
    }

    @Test
    void theStaticMemoryWinsATieAtTheSameAge() {
        Instant at = NOW.minus(Duration.ofDays(10));
        assertWinsTheTie(
                MemorySpec.of("t", TEXT).updatedAt(at).asStatic(1),
                MemorySpec.of("t", TEXT).updatedAt(at),
                false);
    }

    @Test
    void theStatedMemoryWinsATieWithAnInferredOne() {
        Instant at = NOW.minus(Duration.ofDays(10));
        assertWinsTheTie(
                MemorySpec.of("t", TEXT).updatedAt(at), MemorySpec.of("t", TEXT).updatedAt(at), true);
    }

    @Test
    void aClearlyMoreSimilarOldInferredMemoryStillComesFirst() {
        String tag = newTag();
        MemorySpec relevant = MemorySpec.of(tag, TEXT).updatedAt(NOW.minus(Duration.ofDays(400)));
        MemorySpec other = MemorySpec.of(tag, "Jonas bought new running shoes last week.")
                .updatedAt(NOW)
                .asStatic(1);
        fixtures.memories(other, relevant);
        fixtures.inferred(relevant.id());
        JsonPath body = search(tag, "hybrid");
        List<Float> similarities = body.getList("results.similarity", Float.class);
        assertThat(similarities.get(0) - similarities.get(1)).isGreaterThan(0.11f);
        assertThat(body.getList("results.id", String.class)).containsExactly(relevant.id(), other.id());
    }
}

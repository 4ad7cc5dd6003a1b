package dev.engram.search.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code POST /v4/profile}: static and dynamic parts, exclusions, caps, {@code q}, filters, bad input, 401. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ProfileTest {

    @Inject
    SearchFixtures fixtures;

    private static String newTag() {
        return "user_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse profile(Map<String, Object> body) {
        return given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v4/profile")
                .then();
    }

    private static Instant ago(Duration duration) {
        return Instant.now().minus(duration);
    }

    @Test
    void staticMemoriesMostObservedFirstAndDynamicMemoriesMostRecentFirst() {
        String tag = newTag();
        MemorySpec nurse =
                MemorySpec.of(tag, "Alice works as a nurse.").asStatic(1).updatedAt(ago(Duration.ofHours(3)));
        MemorySpec vegetarian =
                MemorySpec.of(tag, "Alice is vegetarian.").asStatic(3).updatedAt(ago(Duration.ofHours(5)));
        MemorySpec berlin =
                MemorySpec.of(tag, "Alice lives in Berlin.").asStatic(1).updatedAt(ago(Duration.ofHours(1)));
        MemorySpec trip =
                MemorySpec.of(tag, "Alice is planning a trip to Lisbon.").updatedAt(ago(Duration.ofHours(2)));
        MemorySpec cold = MemorySpec.of(tag, "Alice has a cold today.").updatedAt(ago(Duration.ofMinutes(1)));
        MemorySpec other = MemorySpec.of(newTag(), "Bob is a pilot.").asStatic(9);
        fixtures.memories(nurse, vegetarian, berlin, trip, cold, other);

        ValidatableResponse response = profile(Map.of("containerTag", tag))
                .statusCode(200)
                .body("containsKey('searchResults')", equalTo(false));
        assertThat(response.extract().<List<String>>path("profile.static"))
                .containsExactly(vegetarian.text(), berlin.text(), nurse.text());
        assertThat(response.extract().<List<String>>path("profile.dynamic")).containsExactly(cold.text(), trip.text());
    }

    @Test
    void forgottenExpiredAndSupersededMemoriesAreLeftOut() {
        String tag = newTag();
        MemorySpec old = MemorySpec.of(tag, "Carol lives in Paris.").asStatic(1);
        MemorySpec current = old.nextVersion("Carol lives in Rome.");
        MemorySpec forgotten =
                MemorySpec.of(tag, "Carol is a teacher.").asStatic(2).asForgotten();
        MemorySpec expired =
                MemorySpec.of(tag, "Carol is on holiday this week.").expiringAt(ago(Duration.ofMinutes(1)));
        MemorySpec forgottenDynamic = MemorySpec.of(tag, "Carol lost her keys.").asForgotten();
        MemorySpec notYetExpired = MemorySpec.of(tag, "Carol is at a conference.")
                .expiringAt(Instant.now().plus(Duration.ofDays(1)));
        fixtures.memories(old.superseded(), current, forgotten, expired, forgottenDynamic, notYetExpired);

        ValidatableResponse response = profile(Map.of("containerTag", tag)).statusCode(200);
        assertThat(response.extract().<List<String>>path("profile.static")).containsExactly(current.text());
        assertThat(response.extract().<List<String>>path("profile.dynamic")).containsExactly(notYetExpired.text());
    }

    @Test
    void aNewTagHasAnEmptyProfile() {
        profile(Map.of("containerTag", newTag()))
                .statusCode(200)
                .body("profile.static", empty())
                .body("profile.dynamic", empty())
                .body("containsKey('searchResults')", equalTo(false));
    }

    @Test
    void theDynamicPartIsCapped() {
        String tag = newTag();
        MemorySpec[] memories = new MemorySpec[22];
        for (int i = 0; i < memories.length; i++) {
            memories[i] = MemorySpec.of(tag, "Dan note number " + i + ".").updatedAt(ago(Duration.ofMinutes(100 - i)));
        }
        fixtures.memories(memories);

        List<String> dynamic =
                profile(Map.of("containerTag", tag)).statusCode(200).extract().path("profile.dynamic");
        assertThat(dynamic).hasSize(20).first().isEqualTo("Dan note number 21.");
        assertThat(dynamic).doesNotContain("Dan note number 0.", "Dan note number 1.");
    }

    @Test
    void qAddsTheSameResultsAsAMemorySearchInTheTag() {
        String tag = newTag();
        MemorySpec dog = MemorySpec.of(tag, "Erin has a golden retriever named Biscuit.");
        fixtures.memories(
                MemorySpec.of(tag, "Erin works as an accountant.").asStatic(1),
                dog,
                MemorySpec.of(newTag(), "Erin has a golden retriever named Biscuit."));

        ValidatableResponse response = profile(
                        Map.of("containerTag", tag, "q", "What is the name of Erin's dog?", "threshold", 0.2))
                .statusCode(200)
                .body("profile.static", equalTo(List.of("Erin works as an accountant.")))
                .body("searchResults.results[0].id", equalTo(dog.id()))
                .body("searchResults.results[0].memory", equalTo(dog.text()))
                .body("searchResults.timing", greaterThanOrEqualTo(0));
        List<String> profileIds = response.extract().path("searchResults.results.id");

        List<String> searchIds = given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body(Map.of("q", "What is the name of Erin's dog?", "containerTag", tag, "threshold", 0.2))
                .post("/v4/search")
                .then()
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(profileIds).isEqualTo(searchIds);
    }

    @Test
    void filtersApplyToTheProfileAndTheSearchResults() {
        String tag = newTag();
        MemorySpec work = MemorySpec.of(tag, "Fay manages the data team.")
                .asStatic(1)
                .withMetadata(Map.of("topic", "work", "year", 2024));
        MemorySpec home = MemorySpec.of(tag, "Fay has two cats.").asStatic(1).withMetadata(Map.of("topic", "home"));
        MemorySpec project = MemorySpec.of(tag, "Fay is migrating the data warehouse.")
                .withMetadata(Map.of("topic", "work", "year", 2025));
        fixtures.memories(work, home, project);

        Map<String, Object> body = new HashMap<>();
        body.put("containerTag", tag);
        body.put("q", "What does Fay do?");
        body.put("threshold", 0);
        body.put("filters", Map.of("AND", List.of(Map.of("key", "topic", "value", "work"))));
        ValidatableResponse response = profile(body)
                .statusCode(200)
                .body("profile.static", equalTo(List.of(work.text())))
                .body("profile.dynamic", equalTo(List.of(project.text())));
        assertThat(response.extract().<List<String>>path("searchResults.results.id"))
                .containsExactlyInAnyOrder(work.id(), project.id());

        body.put(
                "filters",
                Map.of(
                        "OR",
                        List.of(Map.of(
                                "key", "year", "value", "2024", "filterType", "numeric", "numericOperator", ">"))));
        profile(body)
                .statusCode(200)
                .body("profile.static", empty())
                .body("profile.dynamic", equalTo(List.of(project.text())));
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        rejected(Map.of(), "containerTag");
        rejected(Map.of("containerTag", "has spaces"), "containerTag");
        rejected(Map.of("containerTag", "x".repeat(101)), "containerTag");
        rejected(Map.of("containerTag", "ok", "threshold", 2), "threshold");
        rejected(Map.of("containerTag", "ok", "q", "  "), "q");
        rejected(Map.of("containerTag", "ok", "filters", Map.of("NOT", List.of())), "filters");
        rejected(Map.of("containerTag", List.of("a")), "containerTag");
        rejected(Map.of("containerTag", "ok", "q", "x", "retrieval", "bm25"), "retrieval");
        given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body("{not json")
                .post("/v4/profile")
                .then()
                .statusCode(400)
                .body("error", equalTo("Invalid request"));
    }

    private static void rejected(Map<String, Object> body, String field) {
        profile(body).statusCode(400).body("error", equalTo("Invalid request")).body("details", containsString(field));
    }

    @Test
    void withoutTheKeyTheProfileIsRefused() {
        given().contentType(ContentType.JSON)
                .body(Map.of("containerTag", "user_1"))
                .post("/v4/profile")
                .then()
                .statusCode(401)
                .body("details", containsString("Bearer"));
        given().auth()
                .oauth2("wrong-key")
                .contentType(ContentType.JSON)
                .body(Map.of("containerTag", "user_1"))
                .post("/v4/profile")
                .then()
                .statusCode(401);
    }
}

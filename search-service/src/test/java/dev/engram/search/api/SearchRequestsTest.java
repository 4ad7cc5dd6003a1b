package dev.engram.search.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.core.text.StorableText;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Authentication and rejected requests: 401/400 with {@code {error, details}} naming the field. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class SearchRequestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/v4/search", "/v3/search"})
    void aRequestWithoutTheKeyIsRefused(String path) {
        given().contentType(ContentType.JSON)
                .body(Map.of("q", "x"))
                .post(path)
                .then()
                .statusCode(401)
                .body("error", equalTo("Unauthorized"))
                .body("details", containsString("Bearer"));
        given().auth()
                .oauth2("wrong-key")
                .contentType(ContentType.JSON)
                .body(Map.of("q", "x"))
                .post(path)
                .then()
                .statusCode(401);
    }

    static List<Arguments> badRequests() {
        return List.of(
                Arguments.of("/v4/search", Map.of("q", " "), "q:"),
                Arguments.of("/v4/search", Map.of("containerTag", "t"), "q:"),
                Arguments.of("/v4/search", Map.of("q", "x", "threshold", 1.5), "threshold:"),
                Arguments.of("/v4/search", Map.of("q", "x", "limit", 0), "limit:"),
                Arguments.of("/v4/search", Map.of("q", "x", "limit", 101), "limit:"),
                Arguments.of("/v4/search", Map.of("q", "x", "limit", "many"), "limit:"),
                Arguments.of("/v4/search", Map.of("q", "x", "containerTag", "bad tag!"), "containerTag:"),
                Arguments.of("/v4/search", Map.of("q", "x", "searchMode", "everything"), "searchMode:"),
                Arguments.of("/v4/search", Map.of("q", "x", "retrieval", "bm25"), "retrieval:"),
                Arguments.of("/v4/search", Map.of("q", "x", "retrieval", "Hybrid"), "retrieval:"),
                Arguments.of("/v4/search", Map.of("q", "x", "retrieval", ""), "retrieval:"),
                Arguments.of("/v4/search", Map.of("q", "x", "filters", Map.of("NOT", List.of())), "filters"),
                Arguments.of(
                        "/v4/search",
                        Map.of("q", "x", "filters", Map.of("AND", List.of(Map.of("value", "v")))),
                        "filters.AND[0]"),
                Arguments.of("/v3/search", Map.of("q", ""), "q:"),
                Arguments.of("/v3/search", Map.of("q", "x", "chunkThreshold", -0.1), "chunkThreshold:"),
                Arguments.of("/v3/search", Map.of("q", "x", "retrieval", "sparse"), "retrieval:"),
                Arguments.of(
                        "/v3/search", Map.of("q", "x", "containerTags", List.of("ok", "no way")), "containerTags[1]:"),
                Arguments.of("/v3/search", Map.of("q", "x", "filters", "{not json"), "filters"));
    }

    /** Text PostgreSQL cannot hold is in no stored value: refused by name, not a failed query (it was a 503). */
    static List<Arguments> unstorableText() {
        return List.of(
                Arguments.of("/v4/search", "{\"q\":\"x\",\"filepath\":\"/a\\u0000\"}", "filepath: " + StorableText.NUL),
                Arguments.of("/v3/search", "{\"q\":\"x\",\"filepath\":\"/a\\u0000\"}", "filepath: " + StorableText.NUL),
                Arguments.of(
                        "/v3/search",
                        "{\"q\":\"x\",\"docId\":\"\\ud800\"}",
                        "docId: " + StorableText.UNPAIRED_SURROGATE),
                Arguments.of("/v4/search", "{\"q\":\"a\\u0000b\"}", "q: " + StorableText.NUL),
                Arguments.of("/v4/profile", "{\"containerTag\":\"t\",\"q\":\"a\\u0000\"}", "q: " + StorableText.NUL),
                Arguments.of(
                        "/v4/search",
                        "{\"q\":\"x\",\"filters\":{\"AND\":[{\"key\":\"k\",\"value\":\"\\u0000\"}]}}",
                        "filters.AND[0].value: " + StorableText.NUL));
    }

    @ParameterizedTest
    @MethodSource("unstorableText")
    void unstorableTextIsRejectedNamingTheField(String path, String body, String details) {
        post(path, body)
                .statusCode(400)
                .body("error", equalTo("Invalid request"))
                .body("details", equalTo(details));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badInputIsRejectedNamingTheField(String path, Map<String, Object> body, String field) {
        post(path, body)
                .statusCode(400)
                .body("error", equalTo("Invalid request"))
                .body("details", containsString(field));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v4/search", "/v3/search"})
    void aBodyThatIsNotJsonIsRejected(String path) {
        post(path, "{\"q\": ").statusCode(400).body("error", equalTo("Invalid request"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v4/search", "/v3/search"})
    void aBodyWithAnythingAfterItsJsonValueIsRejected(String path) {
        for (String body : List.of("{\"q\": \"tea\"} junk", "{\"q\": \"tea\"} {\"q\": \"coffee\"}")) {
            post(path, body).statusCode(400).body("error", equalTo("Invalid request"));
        }
    }

    /** Posts {@code body} (an object, or raw text) as JSON with the test key. */
    private static ValidatableResponse post(String path, Object body) {
        return given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body(body)
                .post(path)
                .then();
    }
}

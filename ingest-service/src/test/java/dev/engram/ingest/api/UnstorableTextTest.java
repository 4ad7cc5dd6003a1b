package dev.engram.ingest.api;

import static dev.engram.ingest.IngestApi.add;
import static dev.engram.ingest.IngestApi.authorized;
import static dev.engram.ingest.IngestApi.json;
import static dev.engram.ingest.IngestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.core.text.StorableText;
import dev.engram.ingest.TestDatabase;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text PostgreSQL cannot hold (NUL, an unpaired surrogate) in any field of any ingest-service endpoint, or in a path
 * or query: a 400 naming where it is, and nothing stored. Before, most of these were 500s from the failed statement.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class UnstorableTextTest {

    private static final String NUL = "a\\u0000b";
    private static final String SURROGATE = "x\\ud800";

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("POST", "/v3/documents", "{\"content\":\"" + NUL + "\"}", "content", StorableText.NUL),
                Arguments.of(
                        "POST",
                        "/v3/documents",
                        "{\"content\":\"c\",\"metadata\":{\"k\":[\"" + SURROGATE + "\"]}}",
                        "metadata.k[0]",
                        StorableText.UNPAIRED_SURROGATE),
                Arguments.of(
                        "POST",
                        "/v3/documents/list",
                        "{\"containerTags\":[\"t\"],\"filepath\":\"" + NUL + "\"}",
                        "filepath",
                        StorableText.NUL),
                Arguments.of(
                        "POST",
                        "/v4/conversations",
                        "{\"conversationId\":\"c1\",\"containerTag\":\"t\",\"messages\":[{\"role\":\"user\",\"content\":\""
                                + NUL + "\"}]}",
                        "messages[0].content",
                        StorableText.NUL),
                Arguments.of(
                        "POST",
                        "/v4/conversations",
                        "{\"conversationId\":\"c1\",\"containerTag\":\"t\",\"messages\":[{\"role\":\"user\",\"content\":"
                                + "[{\"type\":\"text\",\"text\":\"" + SURROGATE + "\"}]}]}",
                        "messages[0].content[0].text",
                        StorableText.UNPAIRED_SURROGATE),
                Arguments.of(
                        "PATCH",
                        "/v3/settings",
                        "{\"filterPrompt\":\"" + NUL + "\"}",
                        "filterPrompt",
                        StorableText.NUL),
                Arguments.of(
                        "PATCH",
                        "/v3/settings",
                        "{\"includeItems\":[\"" + NUL + "\"]}",
                        "includeItems[0]",
                        StorableText.NUL),
                Arguments.of("POST", "/v3/auth/keys", "{\"name\":\"" + NUL + "\"}", "name", StorableText.NUL),
                Arguments.of(
                        "POST",
                        "/v3/auth/scoped-key",
                        "{\"containerTag\":\"t\",\"name\":\"" + NUL + "\"}",
                        "name",
                        StorableText.NUL),
                Arguments.of("PATCH", "/v3/container-tags/t", "{\"name\":\"" + NUL + "\"}", "name", StorableText.NUL),
                Arguments.of(
                        "DELETE",
                        "/v3/documents/bulk",
                        "{\"ids\":[\"ok\",\"" + SURROGATE + "\"]}",
                        "ids[1]",
                        StorableText.UNPAIRED_SURROGATE),
                Arguments.of(
                        "PATCH",
                        "/v3/documents/any",
                        "{\"metadata\":{\"a\\u0000\":1}}",
                        "metadata",
                        "has a key that " + StorableText.NUL));
    }

    @ParameterizedTest(name = "{0} {1} {3}")
    @MethodSource("bodies")
    void unstorableTextInABodyIsA400NamingTheFieldAndStoresNothing(
            String method, String path, String body, String field, String reason) {
        TestDatabase.assertStoresNothing(() -> json().body(body)
                .request(method, path)
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", equalTo("Invalid request"))
                .body("details", equalTo(field + ": " + reason)));
    }

    static Stream<Arguments> requestLines() {
        return Stream.of(
                Arguments.of("GET", "/v3/documents/a%00b", "path"),
                Arguments.of("GET", "/v3/documents/a%00b/chunks", "path"),
                Arguments.of("PATCH", "/v3/documents/a%00b", "path"),
                Arguments.of("DELETE", "/v3/documents/a%00b", "path"),
                Arguments.of("GET", "/v3/container-tags/merge/a%00b", "path"),
                Arguments.of("DELETE", "/v3/auth/keys/a%00b", "path"),
                Arguments.of("DELETE", "/v3/auth/scoped-key/a%00b", "path"),
                Arguments.of("GET", "/v4/conversations/c1?containerTag=a%00b", "query parameter containerTag"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("requestLines")
    void nulInAPathOrQueryIsA400(String method, String path, String where) {
        TestDatabase.assertStoresNothing(() -> json().urlEncodingEnabled(false)
                .body("{\"metadata\":{\"k\":\"v\"}}")
                .request(method, path)
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("details", equalTo(where + ": " + StorableText.NUL)));
    }

    @Test
    void aBatchItemWithUnstorableTextFailsAloneAndTheOthersAreQueued() {
        String tag = unique("unstorable_batch");
        String body = "{\"containerTag\":\"" + tag + "\",\"documents\":[\"fine\",\"" + NUL + "\",{\"content\":\"ok\","
                + "\"metadata\":{\"k\":\"" + SURROGATE + "\"}},{\"content\":\"also fine\"}]}";

        JsonPath response = json().body(body)
                .post("/v3/documents/batch")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(response.getList("results.status")).containsExactly("queued", "error", "error", "queued");
        assertThat(response.getString("results[1].details")).isEqualTo("documents[1].content: " + StorableText.NUL);
        assertThat(response.getString("results[2].details"))
                .isEqualTo("documents[2].metadata.k: " + StorableText.UNPAIRED_SURROGATE);
        assertThat(response.getInt("success")).isEqualTo(2);
        assertThat(authorized()
                        .contentType(ContentType.JSON)
                        .body(Map.of("containerTags", List.of(tag)))
                        .post("/v3/documents/list")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("memories"))
                .hasSize(2);
    }

    @Test
    void storableUnicodeIsStoredAsSent() {
        String content = "caf\u00e9 \ud83d\ude00 \u202e \u0007";
        String id = add(Map.of("content", content, "containerTag", unique("unicode")));

        ValidatableResponse stored =
                authorized().get("/v3/documents/" + id).then().statusCode(200);

        stored.body("content", equalTo(content));
    }
}

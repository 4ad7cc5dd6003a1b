package dev.engram.writer.api;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Calls of the memory API shared by the tests. */
final class MemoryApi {

    /** The test profile's key ({@code %test.engram.auth.bootstrap-key}). */
    static final String BEARER = "Bearer test-key";

    private MemoryApi() {}

    /** A JSON request with the test API key. */
    static RequestSpecification json() {
        return given().header("Authorization", BEARER).contentType(ContentType.JSON);
    }

    /** A container tag no other test uses. */
    static String unique(String label) {
        return label + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** {@code POST /v4/memories}, which must answer 201. */
    static JsonPath create(String tag, List<Map<String, Object>> memories) {
        return json().body(Map.of("containerTag", tag, "memories", memories))
                .post("/v4/memories")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /** Creates one memory with this content; returns its id. */
    static String createOne(String tag, String content) {
        return create(tag, List.of(Map.of("content", content))).getString("memories[0].id");
    }

    /** {@code POST /v4/memories/list}, which must answer 200. */
    static JsonPath list(Map<String, Object> body) {
        return json().body(body)
                .post("/v4/memories/list")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The listed memories of one tag (latest, not forgotten). */
    static JsonPath list(String tag) {
        return list(Map.of("containerTags", List.of(tag)));
    }
}

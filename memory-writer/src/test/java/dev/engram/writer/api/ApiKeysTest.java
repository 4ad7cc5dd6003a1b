package dev.engram.writer.api;

import static dev.engram.writer.api.MemoryApi.createOne;
import static dev.engram.writer.api.MemoryApi.list;
import static dev.engram.writer.api.MemoryApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.core.auth.KeyRole;
import dev.engram.core.auth.RateLimit;
import dev.engram.core.auth.StoredKey;
import dev.engram.core.tenancy.Orgs;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.IngestTables;
import dev.engram.writer.MemoryTables;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keys of {@code ingest.api_keys} on the memory API: two organisations with the same container tag never see or
 * change each other's memories; a scoped key works only in its tag; revoked, expired and unknown keys are refused; a
 * rate limit answers 429; a key store that cannot be read answers 503.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ApiKeysTest {

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private static String key(String orgId, KeyRole role, String tag) {
        return IngestTables.apiKey(new StoredKey(unique("key"), orgId, role, tag, null, null, null));
    }

    private static String createAs(String key, Map<String, Object> body) {
        return as(key).body(body)
                .post("/v4/memories")
                .then()
                .statusCode(201)
                .extract()
                .path("memories[0].id");
    }

    private static JsonPath listAs(String key, Map<String, Object> body) {
        return as(key).body(body)
                .post("/v4/memories/list")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static JsonPath forgetMatchingAs(String key, Map<String, Object> body) {
        return as(key).body(body)
                .post("/v4/memories/forget-matching")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static Map<String, Object> one(String content) {
        return Map.of("memories", List.of(Map.of("content", content)));
    }

    private static Map<String, Object> one(String tag, String content) {
        return Map.of("containerTag", tag, "memories", List.of(Map.of("content", content)));
    }

    @Test
    void twoOrganisationsUsingTheSameTagNeverSeeOrChangeEachOthersMemories() {
        String tag = unique("shared");
        String acmeOrg = unique("org_acme");
        String acme = key(acmeOrg, KeyRole.ADMIN, null);
        String ours = createOne(tag, "The fence is painted green.");
        String theirs = createAs(acme, one(tag, "The fence is painted blue."));
        // the same text in each organisation is two memories, not one
        String ourTwin = createOne(tag, "The gate squeaks.");
        String theirTwin = createAs(acme, one(tag, "The gate squeaks."));
        assertThat(theirTwin).isNotEqualTo(ourTwin);

        assertThat(listAs(acme, Map.of("containerTags", List.of(tag))).getList("memoryEntries.id", String.class))
                .containsExactlyInAnyOrder(theirs, theirTwin);
        assertThat(listAs(acme, Map.of()).getList("memoryEntries.id", String.class))
                .containsExactlyInAnyOrder(theirs, theirTwin);
        assertThat(list(tag).getList("memoryEntries.id", String.class)).containsExactlyInAnyOrder(ours, ourTwin);

        as(acme).body(Map.of("containerTag", tag, "id", ours, "newContent", "The fence is painted red."))
                .patch("/v4/memories")
                .then()
                .statusCode(404);
        as(acme).body(Map.of("containerTag", tag, "id", ours))
                .delete("/v4/memories")
                .then()
                .statusCode(404);
        assertThat(forgetMatchingAs(acme, Map.of("containerTag", tag, "ids", List.of(ours)))
                        .getInt("forgotten"))
                .isZero();
        assertThat(forgetMatchingAs(
                                acme,
                                Map.of(
                                        "containerTag",
                                        tag,
                                        "query",
                                        "what colour is the fence",
                                        "threshold",
                                        0,
                                        "dryRun",
                                        true))
                        .getList("candidates.id", String.class))
                .contains(theirs)
                .doesNotContain(ours, ourTwin);
        assertThat(MemoryTables.memory(ours))
                .containsEntry("is_forgotten", "false")
                .containsEntry("is_latest", "true");
    }

    @Test
    void aScopedKeyWorksOnlyInItsTag() {
        String mine = unique("mine");
        String other = unique("other");
        String scoped = key(Orgs.DEFAULT, KeyRole.SCOPED, mine);
        String elsewhere = createOne(other, "Frank keeps bees on the roof.");

        // no tag named: the key's own
        String made = createAs(scoped, one("Frank keeps bees in the garden."));
        assertThat(list(mine).getList("memoryEntries.id", String.class)).containsExactly(made);
        createAs(scoped, one(mine, "Frank's hives are painted yellow."));
        as(scoped)
                .body(one(other, "Frank sneaks in."))
                .post("/v4/memories")
                .then()
                .statusCode(403)
                .body("error", equalTo("Forbidden"))
                .body("details", containsString("'containerTag' names '" + other + "'"));
        assertThat(MemoryTables.memoryRows(other)).isEqualTo(1);

        assertThat(listAs(scoped, Map.of()).getList("memoryEntries.containerTag", String.class))
                .hasSize(2)
                .containsOnly(mine);
        as(scoped)
                .body(Map.of("containerTags", List.of(mine, other)))
                .post("/v4/memories/list")
                .then()
                .statusCode(403);

        // a memory of another tag, named by id or content, is not found
        as(scoped)
                .body(Map.of("id", elsewhere, "newContent", "Frank keeps wasps."))
                .patch("/v4/memories")
                .then()
                .statusCode(404);
        as(scoped).body(Map.of("id", elsewhere)).delete("/v4/memories").then().statusCode(404);
        as(scoped)
                .body(Map.of("content", "Frank keeps bees on the roof."))
                .delete("/v4/memories")
                .then()
                .statusCode(404);
        as(scoped)
                .body(Map.of("containerTag", other, "id", elsewhere))
                .delete("/v4/memories")
                .then()
                .statusCode(403);
        assertThat(forgetMatchingAs(scoped, Map.of("ids", List.of(elsewhere))).getInt("forgotten"))
                .isZero();
        as(scoped)
                .body(Map.of("containerTag", other, "ids", List.of(elsewhere)))
                .post("/v4/memories/forget-matching")
                .then()
                .statusCode(403);
        assertThat(MemoryTables.memory(elsewhere))
                .containsEntry("is_forgotten", "false")
                .containsEntry("is_latest", "true");

        // its own memories it may change without naming the tag
        as(scoped)
                .body(Map.of("id", made, "newContent", "Frank keeps bees by the pond."))
                .patch("/v4/memories")
                .then()
                .statusCode(200)
                .body("memory", equalTo("Frank keeps bees by the pond."));
        as(scoped)
                .body(Map.of("content", "Frank keeps bees by the pond."))
                .delete("/v4/memories")
                .then()
                .statusCode(200)
                .body("forgotten", equalTo(true));
    }

    @Test
    void revokedExpiredAndUnknownKeysAreRefused() {
        String tag = unique("refused");
        String revoked = IngestTables.apiKey(new StoredKey(
                unique("key"),
                Orgs.DEFAULT,
                KeyRole.SCOPED,
                tag,
                null,
                null,
                Instant.now().minusSeconds(1)));
        String expired = IngestTables.apiKey(new StoredKey(
                unique("key"),
                Orgs.DEFAULT,
                KeyRole.SCOPED,
                tag,
                null,
                Instant.now().minusSeconds(1),
                null));
        String expiring = IngestTables.apiKey(new StoredKey(
                unique("key"),
                Orgs.DEFAULT,
                KeyRole.SCOPED,
                tag,
                null,
                Instant.now().plus(Duration.ofDays(1)),
                null));

        as(revoked)
                .body(one("Grace likes tea."))
                .post("/v4/memories")
                .then()
                .statusCode(401)
                .body("error", equalTo("Unauthorized"))
                .body("details", equalTo("The API key was revoked."));
        as(expired)
                .body(Map.of())
                .post("/v4/memories/list")
                .then()
                .statusCode(401)
                .body("details", containsString("expired"));
        as("em_" + "x".repeat(43))
                .body(Map.of())
                .post("/v4/memories/list")
                .then()
                .statusCode(401)
                .body("details", equalTo("The API key is not valid."));
        given().contentType(ContentType.JSON)
                .body(Map.of())
                .post("/v4/memories/list")
                .then()
                .statusCode(401);
        assertThat(MemoryTables.memoryRows(tag)).isZero();

        createAs(expiring, one("Grace likes tea."));
        assertThat(MemoryTables.memoryRows(tag)).isEqualTo(1);
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfter() {
        String tag = unique("limited");
        String key = IngestTables.apiKey(new StoredKey(
                unique("key"),
                Orgs.DEFAULT,
                KeyRole.SCOPED,
                tag,
                new RateLimit(2, Duration.ofMinutes(10)),
                null,
                null));

        createAs(key, one("Heidi plays chess."));
        listAs(key, Map.of());
        ExtractableResponse<Response> refused = as(key).body(one("Heidi plays go."))
                .post("/v4/memories")
                .then()
                .statusCode(429)
                .extract();

        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(590L, 600L);
        assertThat(refused.jsonPath().getLong("retryAfterSeconds")).isEqualTo(retryAfter);
        assertThat(refused.jsonPath().getString("error")).isEqualTo("Too Many Requests");
        assertThat(MemoryTables.memoryRows(tag)).isEqualTo(1);
    }

    @Test
    void keysThatCannotBeReadAre503NotRefused() {
        String key = key(Orgs.DEFAULT, KeyRole.ADMIN, null);
        String tag = unique("unreadable");

        IngestTables.execute("alter table ingest.api_keys rename to api_keys_away");
        try {
            as(key).body(one(tag, "Ivan rides a bike."))
                    .post("/v4/memories")
                    .then()
                    .statusCode(503)
                    .body("error", equalTo("Service Unavailable"))
                    .body("details", containsString("cannot be verified"));
            MemoryApi.json().body(Map.of()).post("/v4/memories/list").then().statusCode(200);
        } finally {
            IngestTables.execute("alter table ingest.api_keys_away rename to api_keys");
        }
        assertThat(MemoryTables.memoryRows(tag)).isZero();
        // the failure was not remembered
        createAs(key, one(tag, "Ivan rides a bike."));
    }
}

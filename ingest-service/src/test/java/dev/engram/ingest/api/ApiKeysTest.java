package dev.engram.ingest.api;

import static dev.engram.ingest.IngestApi.add;
import static dev.engram.ingest.IngestApi.json;
import static dev.engram.ingest.IngestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.ingest.TestDatabase;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API keys and organisations: scoped keys held to their tag and endpoints, revocation, expiry, rate limits, and two
 * organisations using the same container tag without seeing each other's documents.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ApiKeysTest {

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private static JsonPath scopedKey(Map<String, Object> body) {
        return json().body(body)
                .post("/v3/auth/scoped-key")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static String addAs(String key, Map<String, Object> body) {
        return as(key).body(body)
                .post("/v3/documents")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
    }

    @Test
    void aScopedKeyIsShownOnceAndStoredOnlyAsAHash() {
        String tag = unique("scoped");
        JsonPath created = scopedKey(Map.of("containerTag", tag));

        String key = created.getString("key");
        assertThat(key).startsWith("em_").hasSize(46);
        assertThat(created.getString("id")).startsWith("key_");
        assertThat(created.getString("name")).isEqualTo("scoped_" + tag);
        assertThat(created.getString("containerTag")).isEqualTo(tag);
        assertThat(created.getString("expiresAt")).isNull();
        assertThat(created.getInt("rateLimitMax")).isEqualTo(500);
        assertThat(created.getLong("rateLimitTimeWindow")).isEqualTo(60_000L);
        assertThat(created.getList("allowedEndpoints", String.class)).contains("/v3/documents", "/v4/profile");

        List<Map<String, Object>> stored = TestDatabase.query(
                "select key_hash, key_hint from ingest.api_keys where id = ?", created.getString("id"));
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).get("key_hash").toString()).hasSize(64).doesNotContain(key.substring(3));
        assertThat(stored.get(0).get("key_hint").toString()).doesNotContain(key.substring(7, 42));

        JsonPath listed =
                json().get("/v3/auth/keys").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getString("keys.find { it.id == '" + created.getString("id") + "' }.hint"))
                .isEqualTo(stored.get(0).get("key_hint"));
        assertThat(listed.prettify()).doesNotContain(key);
    }

    @Test
    void aScopedKeyIsAutoScopedAndHeldToItsTag() {
        String tag = unique("mine");
        String other = unique("theirs");
        String key = scopedKey(Map.of("containerTag", tag, "name", "widget")).getString("key");
        String foreign = json().body(Map.of("content", "someone else's note", "containerTag", other))
                .post("/v3/documents")
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        String mine = addAs(key, Map.of("content", "my note"));
        assertThat(dev.engram.ingest.IngestApi.get(mine).getList("containerTags"))
                .containsExactly(tag);
        addAs(key, Map.of("content", "my other note", "containerTag", tag));

        as(key).body(Map.of("content", "sneaky", "containerTag", other))
                .post("/v3/documents")
                .then()
                .statusCode(403)
                .body("error", equalTo("Forbidden"))
                .body("details", containsString("'containerTag' names '" + other + "'"));
        as(key).body(Map.of("documents", List.of(Map.of("content", "x", "containerTag", other))))
                .post("/v3/documents/batch")
                .then()
                .statusCode(403);
        as(key).get("/v3/documents/" + foreign).then().statusCode(404);
        as(key).get("/v3/documents/" + foreign + "/chunks").then().statusCode(404);
        as(key).delete("/v3/documents/" + foreign).then().statusCode(404);
        as(key).body(Map.of("ids", List.of(foreign)))
                .delete("/v3/documents/bulk")
                .then()
                .statusCode(404);
        as(key).body(Map.of("filepath", "/x"))
                .delete("/v3/documents/bulk")
                .then()
                .statusCode(403);
        as(key).body(Map.of("containerTag", other))
                .patch("/v3/documents/" + mine)
                .then()
                .statusCode(403);
        assertThat(dev.engram.ingest.IngestApi.getStatusCode(foreign)).isEqualTo(200);

        JsonPath listed = as(key).body(Map.of())
                .post("/v3/documents/list")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(listed.getList("memories.containerTags.flatten()", String.class))
                .hasSize(2)
                .containsOnly(tag);
        as(key).body(Map.of("containerTags", List.of(other)))
                .post("/v3/documents/list")
                .then()
                .statusCode(403);
        as(key).get("/v3/documents/" + mine).then().statusCode(200);
    }

    @Test
    void aScopedKeySeesOnlyItsTagsDocumentsInTheProcessingList() {
        String tag = unique("proc-scope");
        String other = unique("proc-other");
        String own = add(Map.of("content", "own", "containerTag", tag));
        String foreign = add(Map.of("content", "foreign", "containerTag", other));
        String key = scopedKey(Map.of("containerTag", tag)).getString("key");

        JsonPath scoped = as(key).get("/v3/documents/processing")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(scoped.getList("documents.id", String.class)).contains(own).doesNotContain(foreign);
        assertThat(scoped.getList("documents.containerTags", List.class)).containsOnly(List.of(tag));
        assertThat(scoped.getInt("totalCount"))
                .isEqualTo(scoped.getList("documents").size());
        JsonPath all = json().get("/v3/documents/processing")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(all.getList("documents.id", String.class)).contains(own, foreign);
    }

    @Test
    void aScopedKeyKeepsConversationsToItsTagAndCannotAdministerKeys() {
        String key = scopedKey(Map.of("containerTag", unique("narrow"))).getString("key");

        as(key).body(Map.of(
                        "conversationId",
                        "c1",
                        "containerTag",
                        "elsewhere",
                        "messages",
                        List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v4/conversations")
                .then()
                .statusCode(403);
        as(key).get("/v4/conversations/c1?containerTag=elsewhere").then().statusCode(403);
        as(key).body(Map.of("conversationId", "c1", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v4/conversations")
                .then()
                .statusCode(200);
        as(key).get("/v4/conversations/c1").then().statusCode(200).body("messages[0].content", equalTo("hi"));
        as(key).body(Map.of("containerTag", "anything"))
                .post("/v3/auth/scoped-key")
                .then()
                .statusCode(403);
        as(key).get("/v3/auth/keys").then().statusCode(403);
        as(key).get("/v3/auth/key").then().statusCode(200).body("role", equalTo("scoped"));
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceAndAnExpiredOneToo() {
        JsonPath created = scopedKey(Map.of("containerTag", unique("revoke"), "expiresInDays", 30));
        String key = created.getString("key");
        assertThat(created.getString("expiresAt")).isNotNull();
        addAs(key, Map.of("content", "before revocation"));

        json().delete("/v3/auth/scoped-key/" + created.getString("id"))
                .then()
                .statusCode(200)
                .body("revoked", equalTo(true));
        as(key).body(Map.of("content", "after revocation"))
                .post("/v3/documents")
                .then()
                .statusCode(401)
                .body("details", equalTo("The API key was revoked."));
        json().delete("/v3/auth/scoped-key/key_nope").then().statusCode(404);

        JsonPath expiring = scopedKey(Map.of("containerTag", unique("expire")));
        TestDatabase.update(
                "update ingest.api_keys set expires_at = now() - interval '1 second' where id = ?",
                expiring.getString("id"));
        as(expiring.getString("key"))
                .get("/v3/documents/processing")
                .then()
                .statusCode(401)
                .body("details", containsString("expired"));
        as("em_" + "x".repeat(43)).get("/v3/documents/processing").then().statusCode(401);
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfter() {
        String key = scopedKey(
                        Map.of("containerTag", unique("limited"), "rateLimitMax", 2, "rateLimitTimeWindow", 600_000))
                .getString("key");

        as(key).get("/v3/documents/processing").then().statusCode(200);
        as(key).get("/v3/documents/processing").then().statusCode(200);
        var refused =
                as(key).get("/v3/documents/processing").then().statusCode(429).extract();

        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(590L, 600L);
        assertThat(refused.jsonPath().getLong("retryAfterSeconds")).isEqualTo(retryAfter);
        assertThat(refused.jsonPath().getString("error")).isEqualTo("Too Many Requests");
    }

    @Test
    void badScopedKeyRequestsAre400NamingTheFieldAndStoreNothing() {
        int before = TestDatabase.query("select id from ingest.api_keys").size();
        json().body(Map.of())
                .post("/v3/auth/scoped-key")
                .then()
                .statusCode(400)
                .body("details", containsString("containerTag"));
        json().body(Map.of("containerTag", "bad tag!"))
                .post("/v3/auth/scoped-key")
                .then()
                .statusCode(400);
        json().body(Map.of("containerTag", "ok", "expiresInDays", 0))
                .post("/v3/auth/scoped-key")
                .then()
                .statusCode(400)
                .body("details", containsString("expiresInDays"));
        json().body(Map.of("containerTag", "ok", "rateLimitMax", 10_001))
                .post("/v3/auth/scoped-key")
                .then()
                .statusCode(400);
        json().body(Map.of("containerTag", "ok", "rateLimitTimeWindow", "60000"))
                .post("/v3/auth/scoped-key")
                .then()
                .statusCode(400)
                .body("details", containsString("rateLimitTimeWindow"));
        assertThat(TestDatabase.query("select id from ingest.api_keys")).hasSize(before);
    }

    @Test
    void twoOrganisationsUsingTheSameTagNeverSeeEachOthersDocuments() {
        String tag = unique("shared");
        JsonPath org = json().body(Map.of("name", "Acme " + tag))
                .post("/v3/orgs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String acme = org.getString("key");
        assertThat(org.getString("id")).startsWith("org_");
        assertThat(org.getString("slug"))
                .isEqualTo("acme-" + tag.replace('_', '-').toLowerCase());

        String ours = dev.engram.ingest.IngestApi.add(
                Map.of("content", "default org note", "containerTag", tag, "customId", tag));
        String theirs = addAs(acme, Map.of("content", "acme note", "containerTag", tag, "customId", tag));
        assertThat(theirs).isNotEqualTo(ours);

        as(acme).get("/v3/documents/" + ours).then().statusCode(404);
        json().get("/v3/documents/" + theirs).then().statusCode(404);
        as(acme).get("/v3/documents/" + tag).then().statusCode(200).body("id", equalTo(theirs));
        json().get("/v3/documents/" + tag).then().statusCode(200).body("id", equalTo(ours));
        assertThat(as(acme).body(Map.of("containerTags", List.of(tag)))
                        .post("/v3/documents/list")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("memories.id"))
                .containsExactly(theirs);
        as(acme).delete("/v3/documents/" + ours).then().statusCode(404);
        assertThat(dev.engram.ingest.IngestApi.getStatusCode(ours)).isEqualTo(200);

        as(acme).get("/v3/auth/key")
                .then()
                .statusCode(200)
                .body("orgId", equalTo(org.getString("id")))
                .body("role", equalTo("admin"));
        as(acme).body(Map.of("name", "nested")).post("/v3/orgs").then().statusCode(403);
        json().body(Map.of("name", "again", "slug", org.getString("slug")))
                .post("/v3/orgs")
                .then()
                .statusCode(409);

        String acmeScoped = as(acme).body(Map.of("containerTag", tag))
                .post("/v3/auth/scoped-key")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        json().delete("/v3/auth/scoped-key/" + acmeScoped).then().statusCode(404);
    }
}

package dev.engram.ingest.api;

import static dev.engram.ingest.IngestApi.json;
import static dev.engram.ingest.IngestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.engram.ingest.TestDatabase;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET/PATCH /v3/settings}: defaults, a round trip, secrets never answered in clear, bad input refused whole,
 * scoped keys refused, organisations kept apart, and warnings for settings that change nothing.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class SettingsTest {

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** A new organisation; its admin key. */
    private static String newOrg() {
        return json().body(Map.of("name", unique("Settings")))
                .post("/v3/orgs")
                .then()
                .statusCode(200)
                .extract()
                .path("key");
    }

    private static JsonPath get(String key) {
        return as(key).get("/v3/settings").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath patch(String key, Map<String, Object> body) {
        return as(key).body(body)
                .patch("/v3/settings")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void aNewOrganisationHasTheDefaults() {
        JsonPath settings = get(newOrg());

        assertThat(settings.getMap(""))
                .containsKeys(
                        "chunkSize",
                        "shouldLLMFilter",
                        "filterPrompt",
                        "includeItems",
                        "excludeItems",
                        "githubClientId",
                        "githubClientSecret",
                        "notionCustomKeyEnabled");
        assertThat(settings.getString("chunkSize")).isNull();
        assertThat(settings.getBoolean("shouldLLMFilter")).isFalse();
        assertThat(settings.getString("filterPrompt")).isNull();
        assertThat(settings.getString("includeItems")).isNull();
        assertThat(settings.getList("warnings")).isNull();
    }

    @Test
    void patchedSettingsAreAnsweredBackAndOnlyChangedFieldsAreReported() {
        String key = newOrg();
        String orgId = as(key).get("/v3/auth/key").then().extract().path("orgId");

        JsonPath updated = patch(
                key,
                Map.of(
                        "chunkSize",
                        128,
                        "filterPrompt",
                        "Keep only notes about the product roadmap.",
                        "includeItems",
                        List.of("*.md", Map.of("folder", "docs")),
                        "githubClientId",
                        "gh-client"));

        assertThat(updated.getString("orgId")).isEqualTo(orgId);
        assertThat(updated.getString("orgSlug")).isNotBlank();
        assertThat(updated.getMap("updated"))
                .containsOnlyKeys("chunkSize", "filterPrompt", "includeItems", "githubClientId")
                .containsEntry("chunkSize", 128);
        assertThat(updated.getList("warnings", String.class))
                .anySatisfy(w -> assertThat(w).contains("includeItems").contains("no effect"))
                .anySatisfy(w -> assertThat(w).contains("github").contains("no effect"));

        JsonPath settings = get(key);
        assertThat(settings.getInt("chunkSize")).isEqualTo(128);
        assertThat(settings.getString("filterPrompt")).isEqualTo("Keep only notes about the product roadmap.");
        assertThat(settings.getList("includeItems")).hasSize(2);
        assertThat(settings.getString("includeItems[1].folder")).isEqualTo("docs");
        assertThat(settings.getString("githubClientId")).isEqualTo("gh-client");

        // The same values again change nothing; null puts a setting back to its default.
        assertThat(patch(key, Map.of("chunkSize", 128)).getMap("updated")).isEmpty();
        Map<String, Object> reset = new HashMap<>();
        reset.put("chunkSize", null);
        assertThat(patch(key, reset).getMap("updated")).containsOnlyKeys("chunkSize");
        assertThat(get(key).getString("chunkSize")).isNull();
    }

    @Test
    void secretsAreStoredButNeverAnsweredInClear() {
        String key = newOrg();

        JsonPath updated = patch(key, Map.of("notionClientSecret", "s3cr3t-value", "notionCustomKeyEnabled", true));

        assertThat(updated.getString("updated.notionClientSecret")).isEqualTo("***");
        assertThat(updated.prettify()).doesNotContain("s3cr3t-value");
        JsonPath settings = get(key);
        assertThat(settings.getString("notionClientSecret")).isEqualTo("***");
        assertThat(settings.getString("githubClientSecret")).isNull();
        assertThat(settings.prettify()).doesNotContain("s3cr3t-value");

        // Sending the settings back as read keeps the secret.
        assertThat(patch(key, Map.of("notionClientSecret", "***")).getMap("updated"))
                .isEmpty();
        String orgId = as(key).get("/v3/auth/key").then().extract().path("orgId");
        assertThat(TestDatabase.query(
                                "select connectors->>'notionClientSecret' as secret from ingest.org_settings"
                                        + " where org_id = ?",
                                orgId)
                        .get(0)
                        .get("secret"))
                .isEqualTo("s3cr3t-value");
    }

    @Test
    void aBadFieldIsRefusedByNameAndNothingChanges() {
        String key = newOrg();
        patch(key, Map.of("chunkSize", 100, "filterPrompt", "keep"));

        as(key).body(Map.of("chunkSize", 1000, "filterPrompt", "changed"))
                .patch("/v3/settings")
                .then()
                .statusCode(400)
                .body("details", containsString("chunkSize"))
                .body("details", containsString("254"));
        as(key).body(Map.of("chunkSize", 16)).patch("/v3/settings").then().statusCode(400);
        as(key).body(Map.of("chunkSize", "big")).patch("/v3/settings").then().statusCode(400);
        as(key).body(Map.of("shouldLLMFilter", "yes", "filterPrompt", "changed"))
                .patch("/v3/settings")
                .then()
                .statusCode(400)
                .body("details", containsString("shouldLLMFilter"));
        as(key).body(Map.of("filterPrompt", "x".repeat(4001)))
                .patch("/v3/settings")
                .then()
                .statusCode(400)
                .body("details", containsString("filterPrompt"));
        as(key).body(Map.of("chunkSizee", 100))
                .patch("/v3/settings")
                .then()
                .statusCode(400)
                .body("details", containsString("chunkSizee"));
        as(key).body("[1, 2]").patch("/v3/settings").then().statusCode(400);

        JsonPath settings = get(key);
        assertThat(settings.getInt("chunkSize")).isEqualTo(100);
        assertThat(settings.getString("filterPrompt")).isEqualTo("keep");
    }

    @Test
    void aScopedKeyCannotReadOrChangeSettings() {
        String scoped = json().body(Map.of("containerTag", unique("settings_scoped")))
                .post("/v3/auth/scoped-key")
                .then()
                .statusCode(200)
                .extract()
                .path("key");

        as(scoped).get("/v3/settings").then().statusCode(403);
        as(scoped).body(Map.of("chunkSize", 64)).patch("/v3/settings").then().statusCode(403);
    }

    @Test
    void oneOrganisationsSettingsDoNotChangeAnothers() {
        String first = newOrg();
        String second = newOrg();

        patch(first, Map.of("chunkSize", 64, "filterPrompt", "first org only"));

        JsonPath other = get(second);
        assertThat(other.getString("chunkSize")).isNull();
        assertThat(other.getString("filterPrompt")).isNull();
        String secondOrg = as(second).get("/v3/auth/key").then().extract().path("orgId");
        assertThat(TestDatabase.query("select org_id from ingest.org_settings where org_id = ?", secondOrg))
                .isEmpty();
    }

    @Test
    void turningTheLlmFilterOnSaysPlainlyWhenItCannotWork() {
        String key = newOrg();
        TestDatabase.update("create schema if not exists writer");
        TestDatabase.update("create table if not exists writer.capabilities (name text primary key,"
                + " available boolean not null, detail text, reported_at timestamptz not null default now())");
        TestDatabase.update("insert into writer.capabilities (name, available, detail) values ('llm_filter', false,"
                + " 'no LLM configured') on conflict (name) do update set available = false,"
                + " detail = excluded.detail");
        try {
            JsonPath updated = patch(key, Map.of("shouldLLMFilter", true));

            assertThat(updated.getMap("updated")).containsEntry("shouldLLMFilter", true);
            assertThat(updated.getList("warnings", String.class))
                    .anySatisfy(w -> assertThat(w)
                            .startsWith("shouldLLMFilter has no effect")
                            .contains("no extraction LLM"))
                    .anySatisfy(w -> assertThat(w).contains("without a filterPrompt"));
            assertThat(get(key).getList("warnings", String.class))
                    .anySatisfy(w -> assertThat(w).contains("no extraction LLM"));

            TestDatabase.update("update writer.capabilities set available = true, detail = 'model m'"
                    + " where name = 'llm_filter'");
            assertThat(patch(key, Map.of("filterPrompt", "Only engineering notes."))
                            .getList("warnings"))
                    .isNull();
        } finally {
            TestDatabase.update("delete from writer.capabilities where name = 'llm_filter'");
        }
    }
}

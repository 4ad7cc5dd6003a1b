package dev.engram.writer.api;

import static dev.engram.writer.api.MemoryApi.create;
import static dev.engram.writer.api.MemoryApi.createOne;
import static dev.engram.writer.api.MemoryApi.json;
import static dev.engram.writer.api.MemoryApi.list;
import static dev.engram.writer.api.MemoryApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.MemoryTables;
import dev.engram.writer.forgetting.ForgetSweep;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /v4/memories/forget-matching} and expiry ({@code forgetAfter} and its sweep). */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ForgettingTest {

    @Inject
    ForgetSweep sweep;

    @Inject
    VectorStore vectors;

    @Inject
    TextEmbedder embedder;

    @Test
    void dryRunListsTheMatchesAndChangesNothing() {
        String tag = unique("dryrun");
        JsonPath created = create(
                tag,
                List.of(
                        Map.of("content", "Maria adopted a golden retriever named Max"),
                        Map.of("content", "Maria works as a nurse in Lisbon")));
        String dog = created.getString("memories[0].id");

        JsonPath preview = forgetMatching(
                Map.of("containerTag", tag, "query", "golden retriever dog Max", "threshold", 0.5, "dryRun", true));

        assertThat(preview.getBoolean("dryRun")).isTrue();
        assertThat(preview.getInt("forgotten")).isZero();
        assertThat(preview.getList("candidates.id", String.class)).containsExactly(dog);
        assertThat(preview.getString("candidates[0].memory")).isEqualTo("Maria adopted a golden retriever named Max");
        assertThat(preview.getDouble("candidates[0].similarity")).isBetween(0.5, 1.0);
        assertThat(list(tag).getList("memoryEntries")).hasSize(2);
        assertThat(MemoryTables.memory(dog)).containsEntry("is_forgotten", "false");
    }

    @Test
    void realRunForgetsOnlyTheLatestMemoriesAtOrAboveTheThreshold() {
        String tag = unique("matching");
        JsonPath created = create(
                tag,
                List.of(
                        Map.of("content", "Maria adopted a golden retriever named Max"),
                        Map.of("content", "Maria works as a nurse in Lisbon"),
                        Map.of("content", "Maria's dog Max loves the beach")));
        String adopted = created.getString("memories[0].id");
        String nurse = created.getString("memories[1].id");
        String beach = created.getString("memories[2].id");
        // an old version matches as well as its update; only the latest is forgotten
        String v2 = json().body(Map.of(
                        "containerTag", tag, "id", adopted, "newContent", "Maria adopted a golden retriever, Max"))
                .patch("/v4/memories")
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        JsonPath run = forgetMatching(Map.of(
                "containerTag",
                tag,
                "query",
                "Maria adopted a golden retriever named Max",
                "threshold",
                0.9,
                "reason",
                "no more dog talk"));

        assertThat(run.getBoolean("dryRun")).isFalse();
        assertThat(run.getList("ids", String.class)).containsExactly(v2);
        assertThat(run.getInt("forgotten")).isEqualTo(1);
        assertThat(MemoryTables.memory(v2))
                .containsEntry("is_forgotten", "true")
                .containsEntry("forget_reason", "no more dog talk");
        assertThat(MemoryTables.memory(adopted)).containsEntry("is_forgotten", "false");
        assertThat(list(tag).getList("memoryEntries.id", String.class)).containsExactlyInAnyOrder(nurse, beach);
    }

    @Test
    void maxForgetCapsHowManyAreForgottenBestFirst() {
        String tag = unique("cap");
        create(
                tag,
                List.of(
                        Map.of("content", "I love hiking in the Alps"),
                        Map.of("content", "I love hiking in the Alps in summer"),
                        Map.of("content", "I love hiking")));

        JsonPath run = forgetMatching(
                Map.of("containerTag", tag, "query", "I love hiking in the Alps", "threshold", 0.3, "maxForget", 1));

        assertThat(run.getInt("forgotten")).isEqualTo(1);
        assertThat(list(tag).getList("memoryEntries.memory", String.class))
                .containsExactlyInAnyOrder("I love hiking in the Alps in summer", "I love hiking");
    }

    @Test
    void idsAreForgottenWhenTheyBelongToTheTagAndOthersAreSkipped() {
        String tag = unique("ids");
        String a = createOne(tag, "Fact A");
        String b = createOne(tag, "Fact B");
        String elsewhere = createOne(unique("elsewhere"), "Fact C");

        JsonPath run = forgetMatching(Map.of("containerTag", tag, "ids", List.of(a, elsewhere, "unknown")));

        assertThat(run.getList("ids", String.class)).containsExactly(a);
        assertThat(MemoryTables.memory(elsewhere)).containsEntry("is_forgotten", "false");
        assertThat(list(tag).getList("memoryEntries.id", String.class)).containsExactly(b);
    }

    @Test
    void badForgetMatchingRequestsAreRefused() {
        String tag = unique("badmatch");
        List<Object[]> cases = List.of(
                new Object[] {Map.of("containerTag", tag), "exactly one of 'query' and 'ids'"},
                new Object[] {Map.of("containerTag", tag, "query", "x", "ids", List.of("a")), "exactly one"},
                new Object[] {Map.of("containerTag", tag, "query", "x", "threshold", 1.5), "threshold"},
                new Object[] {Map.of("containerTag", tag, "query", "x", "maxForget", 101), "maxForget"},
                new Object[] {Map.of("containerTag", tag, "ids", List.of("a", "b"), "maxForget", 1), "ids"},
                new Object[] {Map.of("query", "x"), "containerTag"});
        for (Object[] c : cases) {
            json().body(c[0])
                    .post("/v4/memories/forget-matching")
                    .then()
                    .statusCode(400)
                    .body("details", containsString((String) c[1]));
        }
    }

    @Test
    void anExpiredMemoryCountsAsForgottenAtOnceAndTheSweepRecordsIt() {
        String tag = unique("expired");
        Map<String, Object> lasting = new HashMap<>();
        lasting.put("content", "The project deadline is in December");
        lasting.put("forgetAfter", Instant.now().plus(1, ChronoUnit.DAYS).toString());
        JsonPath created = create(tag, List.of(Map.of("content", "The user is at the airport right now"), lasting));
        String expiring = created.getString("memories[0].id");
        String staying = created.getString("memories[1].id");
        MemoryTables.expire(expiring, Instant.now().minusSeconds(1));

        assertThat(list(tag).getList("memoryEntries.id", String.class)).containsExactly(staying);
        JsonPath withForgotten = list(Map.of("containerTags", List.of(tag), "includeForgotten", true));
        assertThat(withForgotten.getList("memoryEntries.findAll { it.isForgotten }.id", String.class))
                .containsExactly(expiring);
        json().body(Map.of("containerTag", tag, "id", expiring))
                .delete("/v4/memories")
                .then()
                .statusCode(409);
        assertThat(forgetMatching(Map.of(
                                "containerTag", tag, "query", "The user is at the airport right now", "threshold", 0.9))
                        .getInt("forgotten"))
                .isZero();

        sweep.sweep();

        assertThat(MemoryTables.memory(expiring))
                .containsEntry("is_forgotten", "true")
                .containsEntry("forget_reason", "expired");
        assertThat(MemoryTables.memory(staying)).containsEntry("is_forgotten", "false");
        var hit = vectors
                .search(
                        VectorKind.MEMORIES,
                        new VectorQuery(
                                "org_default",
                                List.of(tag),
                                embedder.embed(List.of("airport")).get(0),
                                10,
                                null,
                                List.of()))
                .stream()
                .filter(h -> h.point().id().equals(expiring))
                .findFirst()
                .orElseThrow();
        assertThat(hit.point().attributes()).containsEntry("isForgotten", true).containsKey("forgetAfter");
    }

    private static JsonPath forgetMatching(Map<String, Object> body) {
        return json().body(body)
                .post("/v4/memories/forget-matching")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}

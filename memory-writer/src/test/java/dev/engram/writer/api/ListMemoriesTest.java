package dev.engram.writer.api;

import static dev.engram.writer.api.MemoryApi.create;
import static dev.engram.writer.api.MemoryApi.json;
import static dev.engram.writer.api.MemoryApi.list;
import static dev.engram.writer.api.MemoryApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /v4/memories/list}: filters, paging, sorting and versions. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ListMemoriesTest {

    @Test
    void metadataFiltersUseTheSdkGrammar() {
        String tag = unique("filters");
        create(
                tag,
                List.of(
                        Map.of("content", "fact one", "metadata", Map.of("kind", "Work", "score", 3)),
                        Map.of("content", "fact two", "metadata", Map.of("kind", "home", "score", 7.5)),
                        Map.of("content", "fact three", "metadata", Map.of("labels", List.of("x", "y"))),
                        Map.of("content", "fact four")));

        assertThat(contents(tag, Map.of("AND", List.of(Map.of("key", "kind", "value", "work", "ignoreCase", true)))))
                .containsExactly("fact one");
        assertThat(contents(
                        tag,
                        Map.of(
                                "AND",
                                List.of(Map.of(
                                        "key",
                                        "score",
                                        "value",
                                        "5",
                                        "filterType",
                                        "numeric",
                                        "numericOperator",
                                        ">")))))
                .containsExactly("fact two");
        assertThat(contents(
                        tag,
                        Map.of(
                                "OR",
                                List.of(
                                        Map.of("key", "labels", "value", "y", "filterType", "array_contains"),
                                        Map.of("key", "kind", "value", "ork", "filterType", "string_contains")))))
                .containsExactlyInAnyOrder("fact one", "fact three");
        assertThat(contents(tag, Map.of("AND", List.of(Map.of("key", "kind", "value", "home", "negate", true)))))
                .containsExactlyInAnyOrder("fact one", "fact three", "fact four");
        // the SDK may send the filter as a JSON string
        assertThat(contents(tag, "{\"AND\":[{\"key\":\"kind\",\"value\":\"home\"}]}"))
                .containsExactly("fact two");
    }

    @Test
    void pagesAndTotalsAreExactInEitherOrder() {
        String tag = unique("paging");
        for (int i = 0; i < 5; i++) {
            create(tag, List.of(Map.of("content", "fact number " + i)));
        }

        JsonPath first = list(Map.of("containerTags", List.of(tag), "limit", 2, "page", 1, "order", "asc"));
        JsonPath third = list(Map.of("containerTags", List.of(tag), "limit", 2, "page", "3", "order", "asc"));
        JsonPath past = list(Map.of("containerTags", List.of(tag), "limit", 2, "page", 9));
        JsonPath newest = list(Map.of("containerTags", List.of(tag), "limit", 1, "sort", "updatedAt"));

        assertThat(first.getList("memoryEntries.memory", String.class))
                .containsExactly("fact number 0", "fact number 1");
        assertThat(first.getMap("pagination"))
                .isEqualTo(Map.of("currentPage", 1, "limit", 2, "totalItems", 5, "totalPages", 3));
        assertThat(third.getList("memoryEntries.memory", String.class)).containsExactly("fact number 4");
        assertThat(past.getList("memoryEntries")).isEmpty();
        assertThat(past.getInt("pagination.totalItems")).isEqualTo(5);
        assertThat(newest.getList("memoryEntries.memory", String.class)).containsExactly("fact number 4");
    }

    @Test
    void olderVersionsAreListedOnlyWhenAskedForAndCarryTheirOwnHistory() {
        String tag = unique("versions");
        String v1 = create(tag, List.of(Map.of("content", "Version one"))).getString("memories[0].id");
        String v2 = patch(tag, v1, "Version two");
        String v3 = patch(tag, v2, "Version three");

        JsonPath latest = list(tag);
        assertThat(latest.getList("memoryEntries.id", String.class)).containsExactly(v3);
        assertThat(latest.getList("memoryEntries[0].history.id", String.class)).containsExactly(v2, v1);

        JsonPath all = list(Map.of("containerTags", List.of(tag), "latestOnly", false, "order", "asc"));
        assertThat(all.getList("memoryEntries.id", String.class)).containsExactly(v1, v2, v3);
        assertThat(all.getList("memoryEntries[1].history.id", String.class)).containsExactly(v1);
        assertThat(all.getList("memoryEntries[1].memoryRelations", Map.class))
                .containsExactlyInAnyOrder(
                        Map.of("memoryId", v1, "relation", "updates", "direction", "outgoing"),
                        Map.of("memoryId", v3, "relation", "updates", "direction", "incoming"));
    }

    @Test
    void badListRequestsAreRefusedWithTheFieldAtFault() {
        List<Object[]> cases = List.of(
                new Object[] {Map.of("limit", 0), "limit"},
                new Object[] {Map.of("limit", 1001), "limit"},
                new Object[] {Map.of("page", "two"), "page"},
                new Object[] {Map.of("sort", "memory"), "sort"},
                new Object[] {Map.of("order", "up"), "order"},
                new Object[] {Map.of("containerTags", List.of("bad tag")), "containerTags[0]"},
                new Object[] {Map.of("filters", Map.of("AND", List.of())), "filters.AND"},
                new Object[] {Map.of("includeForgotten", "sometimes"), "includeForgotten"});
        for (Object[] c : cases) {
            json().body(c[0]).post("/v4/memories/list").then().statusCode(400).body("details", containsString((String)
                    c[1]));
        }
    }

    private static List<String> contents(String tag, Object filters) {
        return list(Map.of("containerTags", List.of(tag), "filters", filters))
                .getList("memoryEntries.memory", String.class);
    }

    private static String patch(String tag, String id, String newContent) {
        return json().body(Map.of("containerTag", tag, "id", id, "newContent", newContent))
                .patch("/v4/memories")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
    }
}

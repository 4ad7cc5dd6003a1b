package dev.engram.ingest.api;

import static dev.engram.ingest.IngestApi.add;
import static dev.engram.ingest.IngestApi.json;
import static dev.engram.ingest.IngestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.ingest.TestDatabase;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /v3/documents/list}: container tags, file paths and the SDK's filter grammar, evaluated in PostgreSQL,
 * with exact pages and totals. Every test lists a container tag of its own fixture, added once.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentListTest {

    /** The fixture's documents by name; added in this order, so {@code createdAt} ascending is this order. */
    private static final Map<String, String> IDS = new LinkedHashMap<>();

    private static final String TAG = unique("list");

    private static synchronized void fixture() {
        if (!IDS.isEmpty()) {
            return;
        }
        Map<String, Object> nothing = new HashMap<>();
        document(
                "report",
                "/reports/2021/q1.md",
                Map.of(
                        "category",
                        "news",
                        "year",
                        2021,
                        "score",
                        4.5,
                        "tags",
                        List.of("ai", "ml"),
                        "title",
                        "Quarterly Report",
                        "draft",
                        false));
        document(
                "digest",
                "/reports/2022/q1.md",
                Map.of(
                        "category",
                        "News",
                        "year",
                        2022,
                        "score",
                        3,
                        "tags",
                        List.of("ML"),
                        "title",
                        "weekly digest",
                        "draft",
                        true));
        document(
                "soup",
                "/blog/soup.md",
                Map.of(
                        "category",
                        "blog",
                        "year",
                        2023,
                        "score",
                        5,
                        "tags",
                        List.of("cooking"),
                        "title",
                        "The Report on Soup"));
        // year is a string here and tags a plain string: typed filters must skip them, never fail on them.
        document("archive", "/reports_archive/x.md", Map.of("category", "blog", "year", "2024", "tags", "ai"));
        document("bare", "/reports/2021/q2.md", nothing);
        // A number no double can hold, as a document published straight to Kafka may carry (the API refuses it).
        TestDatabase.update(
                "update ingest.documents set metadata = '{\"huge\": 1e400}'::jsonb where id = ?", IDS.get("bare"));
        document("quoted", null, Map.of("we'ird \"key\"", "x' OR '1'='1", "category", "'; drop table documents; --"));
    }

    private static void document(String name, String filepath, Map<String, Object> metadata) {
        Map<String, Object> body = new HashMap<>();
        body.put("content", "Fixture document " + name + ".");
        body.put("containerTag", TAG);
        body.put("metadata", metadata);
        if (filepath != null) {
            body.put("filepath", filepath);
        }
        IDS.put(name, add(body));
    }

    /** Names of the fixture documents a filter selects, in creation order. */
    private static List<String> matching(Object filters) {
        fixture();
        Map<String, Object> body = new HashMap<>();
        body.put("containerTags", List.of(TAG));
        body.put("filters", filters);
        body.put("sort", "createdAt");
        body.put("order", "asc");
        JsonPath page = list(body);
        List<String> ids = page.getList("memories.id", String.class);
        assertThat(page.getInt("pagination.totalItems")).isEqualTo(ids.size());
        return ids.stream().map(DocumentListTest::name).toList();
    }

    private static String name(String id) {
        return IDS.entrySet().stream()
                .filter(e -> e.getValue().equals(id))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("<not in fixture: " + id + ">");
    }

    private static JsonPath list(Object body) {
        return json().body(body)
                .post("/v3/documents/list")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static Map<String, Object> condition(String key, String value, Object... options) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("key", key);
        condition.put("value", value);
        for (int i = 0; i < options.length; i += 2) {
            condition.put((String) options[i], options[i + 1]);
        }
        return condition;
    }

    private static Map<String, Object> and(Object... filters) {
        return Map.of("AND", List.of(filters));
    }

    private static Map<String, Object> or(Object... filters) {
        return Map.of("OR", List.of(filters));
    }

    @Test
    void metadataEqualityIsExactAndCaseSensitiveUnlessToldToIgnoreCase() {
        assertThat(matching(and(condition("category", "news")))).containsExactly("report");
        assertThat(matching(and(condition("category", "NEWS", "ignoreCase", true))))
                .containsExactly("report", "digest");
        assertThat(matching(and(condition("category", "news", "filterType", "metadata", "ignoreCase", "true"))))
                .containsExactly("report", "digest");
        assertThat(matching(and(condition("category", "news", "negate", true))))
                .containsExactly("digest", "soup", "archive", "bare", "quoted");
    }

    @Test
    void metadataEqualityComparesNumbersAndBooleansByTheirText() {
        assertThat(matching(and(condition("year", "2022")))).containsExactly("digest");
        assertThat(matching(and(condition("year", "2024")))).containsExactly("archive");
        assertThat(matching(and(condition("score", "4.5")))).containsExactly("report");
        assertThat(matching(and(condition("score", "3")))).containsExactly("digest");
        assertThat(matching(and(condition("draft", "true")))).containsExactly("digest");
        assertThat(matching(and(condition("draft", "FALSE", "ignoreCase", true))))
                .containsExactly("report");
    }

    @Test
    void numericFiltersApplyEachOperatorAndSkipValuesThatAreNotNumbers() {
        assertThat(matching(and(condition("year", "2021", "filterType", "numeric", "numericOperator", ">"))))
                .containsExactly("digest", "soup");
        assertThat(matching(and(condition("year", "2022", "filterType", "numeric", "numericOperator", ">="))))
                .containsExactly("digest", "soup");
        assertThat(matching(and(condition("year", "2022", "filterType", "numeric", "numericOperator", "<"))))
                .containsExactly("report");
        assertThat(matching(and(condition("year", "2022", "filterType", "numeric", "numericOperator", "<="))))
                .containsExactly("report", "digest");
        assertThat(matching(and(condition("year", "2023", "filterType", "numeric", "numericOperator", "="))))
                .containsExactly("soup");
        assertThat(matching(and(condition("year", "2023", "filterType", "numeric"))))
                .containsExactly("soup");
        assertThat(matching(and(condition("score", "4.25", "filterType", "numeric", "numericOperator", ">"))))
                .containsExactly("report", "soup");
        // negate flips the operator: a missing or non-numeric value matches neither way.
        assertThat(matching(and(
                        condition("year", "2021", "filterType", "numeric", "numericOperator", ">", "negate", true))))
                .containsExactly("report");
        assertThat(matching(and(condition("huge", "1e300", "filterType", "numeric", "numericOperator", ">"))))
                .containsExactly("bare");
        assertThat(matching(and(condition("huge", "5", "filterType", "numeric", "negate", true))))
                .containsExactly("bare");
        // A value that is not a number in some documents (archive's year is "2024") never breaks the query.
        assertThat(matching(or(
                        condition("year", "2000", "filterType", "numeric", "numericOperator", ">"),
                        condition("category", "blog"))))
                .containsExactly("report", "digest", "soup", "archive");
    }

    @Test
    void arrayContainsMatchesListElementsOnly() {
        assertThat(matching(and(condition("tags", "ml", "filterType", "array_contains"))))
                .containsExactly("report");
        assertThat(matching(and(condition("tags", "ml", "filterType", "array_contains", "ignoreCase", true))))
                .containsExactly("report", "digest");
        // archive's tags is the string "ai", not a list.
        assertThat(matching(and(condition("tags", "ai", "filterType", "array_contains"))))
                .containsExactly("report");
        assertThat(matching(and(condition("tags", "ai", "filterType", "array_contains", "negate", true))))
                .containsExactly("digest", "soup", "archive", "bare", "quoted");
    }

    @Test
    void stringContainsMatchesSubstringsOfStringValues() {
        assertThat(matching(and(condition("title", "Report", "filterType", "string_contains"))))
                .containsExactly("report", "soup");
        assertThat(matching(and(condition("title", "report", "filterType", "string_contains"))))
                .isEmpty();
        assertThat(matching(and(condition("title", "REPORT", "filterType", "string_contains", "ignoreCase", true))))
                .containsExactly("report", "soup");
        assertThat(matching(and(condition("title", "Report", "filterType", "string_contains", "negate", true))))
                .containsExactly("digest", "archive", "bare", "quoted");
        // a number is not a string
        assertThat(matching(and(condition("year", "20", "filterType", "string_contains"))))
                .containsExactly("archive");
    }

    @Test
    void nestedGroupsCombineWithAndAndOr() {
        var filter = and(
                or(
                        condition("category", "blog"),
                        condition("year", "2022", "filterType", "numeric", "numericOperator", ">=")),
                condition("title", "SOUP", "filterType", "string_contains", "ignoreCase", true, "negate", true));
        assertThat(matching(filter)).containsExactly("digest", "archive");

        var deeper = or(
                and(condition("category", "news"), or(condition("draft", "true"), condition("draft", "false"))),
                and(condition("tags", "cooking", "filterType", "array_contains"), and(or(condition("year", "2023")))));
        assertThat(matching(deeper)).containsExactly("report", "soup");
    }

    @Test
    void filtersMayBeSentAsAJsonString() {
        assertThat(matching(
                        "{\"OR\":[{\"key\":\"category\",\"value\":\"blog\"},{\"key\":\"year\",\"value\":\"2021\"}]}"))
                .containsExactly("report", "soup", "archive");
    }

    @Test
    void sqlInSomeKeyOrValueIsMatchedLiterallyAndNeverExecuted() {
        assertThat(matching(and(condition("category", "' OR '1'='1")))).isEmpty();
        assertThat(matching(and(condition("category' OR '1'='1", "news")))).isEmpty();
        assertThat(matching(and(condition("category') OR true --", "x", "negate", true))))
                .hasSize(6);
        assertThat(matching(and(condition("we'ird \"key\"", "x' OR '1'='1")))).containsExactly("quoted");
        assertThat(matching(and(condition("category", "'; drop table documents; --"))))
                .containsExactly("quoted");
        assertThat(matching(and(condition("year", "1; select pg_sleep(5)", "filterType", "string_contains"))))
                .isEmpty();
        assertThat(matching(and(condition("tags", "x') or ('a'='a", "filterType", "array_contains"))))
                .isEmpty();
        assertThat(IDS).hasSize(6);
        assertThat(matching(null)).hasSize(6);
    }

    @Test
    void filepathSelectsAnExactPathOrEverythingUnderAPrefixEndingInSlash() {
        fixture();
        assertThat(names(Map.of("containerTags", List.of(TAG), "filepath", "/reports/", "order", "asc")))
                .containsExactly("report", "digest", "bare");
        assertThat(names(Map.of("containerTags", List.of(TAG), "filepath", "/reports/2021/", "order", "asc")))
                .containsExactly("report", "bare");
        assertThat(names(Map.of("containerTags", List.of(TAG), "filepath", "/blog/soup.md")))
                .containsExactly("soup");
        assertThat(names(Map.of("containerTags", List.of(TAG), "filepath", "/reports")))
                .isEmpty();
        assertThat(names(Map.of("containerTags", List.of(TAG), "filepath", "/reports_%/")))
                .isEmpty();
    }

    @Test
    void pagesAreExactInBothSortOrdersWithNumbersOrNumericStrings() {
        fixture();
        List<String> all = new ArrayList<>(IDS.values());

        List<String> ascending = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonPath response = list(Map.of(
                    "containerTags", List.of(TAG), "limit", 2, "page", page, "sort", "createdAt", "order", "asc"));
            assertThat(response.getInt("pagination.currentPage")).isEqualTo(page);
            assertThat(response.getInt("pagination.limit")).isEqualTo(2);
            assertThat(response.getInt("pagination.totalItems")).isEqualTo(6);
            assertThat(response.getInt("pagination.totalPages")).isEqualTo(3);
            ascending.addAll(response.getList("memories.id", String.class));
        }
        assertThat(ascending).isEqualTo(all);

        JsonPath firstDescending = list(Map.of("containerTags", List.of(TAG), "limit", "4", "page", "1"));
        assertThat(firstDescending.getList("memories.id", String.class))
                .containsExactlyElementsOf(all.reversed().subList(0, 4));
        JsonPath secondDescending = list(Map.of("containerTags", List.of(TAG), "limit", "4", "page", "2"));
        assertThat(secondDescending.getList("memories.id", String.class))
                .containsExactlyElementsOf(all.reversed().subList(4, 6));
        assertThat(secondDescending.getInt("pagination.totalPages")).isEqualTo(2);

        JsonPath pastTheEnd = list(Map.of("containerTags", List.of(TAG), "limit", 4, "page", 9));
        assertThat(pastTheEnd.getList("memories")).isEmpty();
        assertThat(pastTheEnd.getInt("pagination.currentPage")).isEqualTo(9);
        assertThat(pastTheEnd.getInt("pagination.totalItems")).isEqualTo(6);
        assertThat(pastTheEnd.getInt("pagination.totalPages")).isEqualTo(2);

        JsonPath pastTheEndFiltered = list(Map.of(
                "containerTags",
                List.of(TAG),
                "page",
                2,
                "filters",
                and(condition("tags", "ml", "filterType", "array_contains", "ignoreCase", true))));
        assertThat(pastTheEndFiltered.getInt("pagination.totalItems")).isEqualTo(2);
        assertThat(pastTheEndFiltered.getInt("pagination.totalPages")).isEqualTo(1);

        JsonPath nothing = list(Map.of("containerTags", List.of(unique("list_empty"))));
        assertThat(nothing.getList("memories")).isEmpty();
        assertThat(nothing.getInt("pagination.totalItems")).isZero();
        assertThat(nothing.getInt("pagination.totalPages")).isZero();
        assertThat(nothing.getInt("pagination.limit")).isEqualTo(50);
    }

    @Test
    void sortByUpdatedAtPutsTheLatestChangeFirst() {
        String tag = unique("list_updated");
        String first = add(Map.of("content", "first", "containerTag", tag));
        String second = add(Map.of("content", "second", "containerTag", tag));
        String third = add(Map.of("content", "third", "containerTag", tag));
        json().body(Map.of("filepath", "/touched.md"))
                .patch("/v3/documents/" + first)
                .then()
                .statusCode(200);

        assertThat(list(Map.of("containerTags", List.of(tag), "sort", "updatedAt"))
                        .getList("memories.id", String.class))
                .containsExactly(first, third, second);
        assertThat(list(Map.of("containerTags", List.of(tag), "sort", "createdAt"))
                        .getList("memories.id", String.class))
                .containsExactly(third, second, first);
        assertThat(list(Map.of("containerTags", List.of(tag), "sort", "updatedAt", "order", "asc"))
                        .getList("memories.id", String.class))
                .containsExactly(second, third, first);
    }

    @Test
    void eachDocumentHasTheSdkShapeAndContentOnlyWhenAsked() {
        fixture();
        JsonPath without = list(Map.of("containerTags", List.of(TAG), "filepath", "/blog/soup.md"));
        Map<String, Object> soup = without.getMap("memories[0]");
        assertThat(soup)
                .containsKeys(
                        "id",
                        "connectionId",
                        "createdAt",
                        "customId",
                        "filepath",
                        "metadata",
                        "status",
                        "summary",
                        "title",
                        "type",
                        "updatedAt",
                        "containerTags")
                .doesNotContainKey("content")
                .containsEntry("id", IDS.get("soup"))
                .containsEntry("filepath", "/blog/soup.md")
                .containsEntry("status", "queued")
                .containsEntry("type", "text")
                .containsEntry("containerTags", List.of(TAG));
        assertThat(soup.get("connectionId")).isNull();
        assertThat(((Map<?, ?>) soup.get("metadata")).get("title")).isEqualTo("The Report on Soup");

        JsonPath with =
                list(Map.of("containerTags", List.of(TAG), "filepath", "/blog/soup.md", "includeContent", true));
        assertThat(with.getString("memories[0].content")).isEqualTo("Fixture document soup.");
    }

    @Test
    void containerTagsRestrictTheListToThoseTags() {
        fixture();
        String other = unique("list_other");
        String otherId = add(Map.of("content", "elsewhere", "containerTag", other));

        assertThat(list(Map.of("containerTags", List.of(other))).getList("memories.id", String.class))
                .containsExactly(otherId);
        JsonPath both = list(Map.of("containerTags", List.of(TAG, other), "limit", 100));
        assertThat(both.getList("memories.id", String.class)).hasSize(7).contains(otherId);
        JsonPath everything = list(Map.of("limit", 1));
        assertThat(everything.getInt("pagination.totalItems")).isGreaterThanOrEqualTo(7);
        JsonPath withoutBody = json().post("/v3/documents/list")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(withoutBody.getInt("pagination.totalItems"))
                .isGreaterThanOrEqualTo(everything.getInt("pagination.totalItems"));
        assertThat(withoutBody.getInt("pagination.limit")).isEqualTo(50);
    }

    static Stream<Arguments> invalidRequests() {
        Map<String, Object> ok = condition("category", "news");
        Map<String, Object> deep = and(ok);
        for (int i = 0; i < 5; i++) {
            deep = and(deep);
        }
        return Stream.of(
                Arguments.of(
                        "condition without value",
                        Map.of("filters", and(ok, Map.of("key", "year"))),
                        "filters.AND[1].value"),
                Arguments.of("condition without key", Map.of("filters", or(Map.of("value", "x"))), "filters.OR[0].key"),
                Arguments.of(
                        "unknown filterType",
                        Map.of("filters", and(condition("a", "b", "filterType", "regex"))),
                        "filters.AND[0].filterType"),
                Arguments.of(
                        "unknown numericOperator",
                        Map.of("filters", and(condition("a", "1", "filterType", "numeric", "numericOperator", "!="))),
                        "filters.AND[0].numericOperator"),
                Arguments.of(
                        "numericOperator on a metadata filter",
                        Map.of("filters", and(condition("a", "1", "numericOperator", ">"))),
                        "filters.AND[0].numericOperator"),
                Arguments.of(
                        "numeric filter with a word",
                        Map.of("filters", and(ok, or(condition("a", "ten", "filterType", "numeric")))),
                        "filters.AND[1].OR[0].value"),
                Arguments.of(
                        "negate not a boolean",
                        Map.of("filters", and(condition("a", "b", "negate", "yes"))),
                        "filters.AND[0].negate"),
                Arguments.of(
                        "unknown condition field",
                        Map.of("filters", and(condition("a", "b", "op", "eq"))),
                        "filters.AND[0].op"),
                Arguments.of("neither AND nor OR", Map.of("filters", Map.of("XOR", List.of(ok))), "filters"),
                Arguments.of(
                        "both AND and OR", Map.of("filters", Map.of("AND", List.of(ok), "OR", List.of(ok))), "filters"),
                Arguments.of("empty AND", Map.of("filters", Map.of("AND", List.of())), "filters.AND"),
                Arguments.of("AND not a list", Map.of("filters", Map.of("AND", ok)), "filters.AND"),
                Arguments.of("nested too deep", Map.of("filters", deep), "filters.AND[0].AND[0].AND[0].AND[0].AND[0]"),
                Arguments.of("filters a string that is not JSON", Map.of("filters", "{AND: nope"), "filters"),
                Arguments.of("limit zero", Map.of("limit", 0), "limit"),
                Arguments.of("limit over 1000", Map.of("limit", 1001), "limit"),
                Arguments.of("limit a word", Map.of("limit", "ten"), "limit"),
                Arguments.of("limit a fraction", Map.of("limit", 2.5), "limit"),
                Arguments.of("page zero", Map.of("page", "0"), "page"),
                Arguments.of("page negative", Map.of("page", -1), "page"),
                Arguments.of("unknown sort", Map.of("sort", "title"), "sort"),
                Arguments.of("unknown order", Map.of("order", "up"), "order"),
                Arguments.of("includeContent not a boolean", Map.of("includeContent", "yes"), "includeContent"),
                Arguments.of(
                        "bad container tag", Map.of("containerTags", List.of("ok", "bad tag!")), "containerTags[1]"),
                Arguments.of("empty filepath", Map.of("filepath", ""), "filepath"),
                Arguments.of("filepath with the NUL character", Map.of("filepath", "a\u0000b"), "filepath"),
                Arguments.of("filepath with an unpaired surrogate", "{\"filepath\": \"/x\\ud800\"}", "filepath"),
                Arguments.of("filepath not a string", Map.of("filepath", 7), "filepath"),
                Arguments.of("malformed JSON", "{\"limit\": ", "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidListRequestIs400NamingThePath(String name, Object body, String path) {
        json().body(body)
                .post("/v3/documents/list")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", notNullValue())
                .body("details", containsString(path));
    }

    private static List<String> names(Map<String, Object> body) {
        return list(body).getList("memories.id", String.class).stream()
                .map(DocumentListTest::name)
                .toList();
    }
}

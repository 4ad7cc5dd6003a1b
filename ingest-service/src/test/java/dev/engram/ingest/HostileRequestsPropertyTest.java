package dev.engram.ingest;

import static dev.engram.ingest.IngestApi.json;
import static dev.engram.ingest.IngestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.engram.core.filters.Filter;
import dev.engram.core.filters.FilterParser;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the Memory API's request parsing in ingest-service: generated hostile bodies (wrong types, huge
 * arrays, deep nesting, odd Unicode, injection attempts, oversized fields, malformed JSON) for add, batch add and
 * list. Every answer is a 2xx or a 4xx with {@code {error, details}}, never a 5xx; a 4xx stores nothing; what is
 * accepted is stored as sent; and a listed filter returns exactly the documents {@link Filter#matches} selects.
 *
 * <p>jqwik runs its own {@code @Property} methods outside Quarkus, so these are {@code @QuarkusTest} methods that draw
 * their cases from jqwik generators (no shrinking); a failure prints the case that failed.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileRequestsPropertyTest {

    /** Writes every non-ASCII character as an escape, so that unpaired surrogates reach the server as sent. */
    private static final ObjectMapper ESCAPING =
            JsonMapper.builder().enable(JsonGenerator.Feature.ESCAPE_NON_ASCII).build();

    /** Injection attempts, odd Unicode, control characters and text that looks like something else. */
    private static final List<String> PAYLOADS = List.of(
            "' OR 1=1 --",
            "'); drop table ingest.documents; --",
            "$1",
            "$.a",
            "*:*",
            "\\",
            "\"",
            "%_",
            "",
            " ",
            "null",
            "\u0000",
            "a\u0000b",
            "\ud800",
            "x\udc00",
            "\u202eevil",
            "\u200f",
            "\ufeff",
            "\ud83d\ude00",
            "\u00c9t\u00e9",
            "\u0130",
            "\n\r\t",
            "{\"AND\":[]}",
            "https://example.com/a");

    private static final List<String> ADD_FIELDS = List.of(
            "content",
            "containerTag",
            "containerTags",
            "customId",
            "metadata",
            "entityContext",
            "filepath",
            "taskType",
            "unknownField");

    private static final List<String> LIST_FIELDS =
            List.of("containerTags", "filepath", "filters", "includeContent", "limit", "page", "sort", "order");

    @Test
    void anAddWithHostileFieldsIsStoredAsSentOrRejectedStoringNothing() {
        forEach(hostileBodies(ADD_FIELDS, this::validAdd), 100, body -> {
            Exchange exchange = post("/v3/documents", body);

            if (exchange.status() == 200) {
                JsonPath stored = IngestApi.get(exchange.json().getString("id"));
                if (body.get("content") instanceof String content && !content.startsWith("http")) {
                    assertThat(stored.getString("content")).as("stored content").isEqualTo(content);
                }
                if (body.get("customId") instanceof String customId) {
                    assertThat(stored.getString("customId"))
                            .as("stored customId")
                            .isEqualTo(customId);
                }
                if (body.get("filepath") instanceof String filepath) {
                    assertThat(stored.getString("filepath"))
                            .as("stored filepath")
                            .isEqualTo(filepath);
                }
            }
        });
    }

    @Test
    void aBatchWithHostileItemsAnswersForEachItemAndStoresOnlyTheQueuedOnes() {
        Arbitrary<Object> item = Arbitraries.frequencyOf(
                Tuple.of(3, hostileBodies(ADD_FIELDS, this::validAdd).map(b -> (Object) b)),
                Tuple.of(1, hostileValue()));
        Arbitrary<Object> documents = Arbitraries.frequencyOf(
                Tuple.of(6, item.list().ofMinSize(1).ofMaxSize(6).map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.of(598, 600, 601, 2000).map(HostileRequestsPropertyTest::strings)),
                Tuple.of(1, hostileValue()));
        Arbitrary<Map<String, Object>> batches = Combinators.combine(
                        documents, hostileBodies(List.of("containerTag", "metadata", "filepath"), () -> {
                            Map<String, Object> shared = new LinkedHashMap<>();
                            shared.put("containerTag", unique("prop_batch"));
                            return shared;
                        }))
                .as((docs, shared) -> {
                    Map<String, Object> body = new LinkedHashMap<>(shared);
                    body.put("documents", docs);
                    return body;
                });

        forEach(batches, 40, body -> {
            long before = TestDatabase.count("documents");
            Exchange exchange = post("/v3/documents/batch", body);

            if (exchange.status() == 200) {
                List<Map<String, Object>> results = exchange.json().getList("results");
                if (body.get("documents") instanceof List<?> documentsSent) {
                    assertThat(results).hasSize(documentsSent.size());
                }
                Set<Object> queued = new HashSet<>();
                for (Map<String, Object> result : results) {
                    if ("queued".equals(result.get("status"))) {
                        assertThat((String) result.get("id")).isNotBlank();
                        queued.add(result.get("id"));
                    } else {
                        assertThat(result).containsEntry("status", "error").containsKeys("error", "details");
                    }
                }
                assertThat(exchange.json().getInt("success") + exchange.json().getInt("failed"))
                        .isEqualTo(results.size());
                // items with the same customId share one document; the batch uses fresh tags, so no earlier one
                assertThat(TestDatabase.count("documents")).isLessThanOrEqualTo(before + queued.size());
            }
        });
    }

    @Test
    void aListWithHostileFieldsAnswersAPageOrA400() {
        forEach(
                hostileBodies(LIST_FIELDS, () -> new LinkedHashMap<>(Map.of("containerTags", List.of("t")))),
                100,
                body -> {
                    Exchange exchange = post("/v3/documents/list", body);

                    if (exchange.status() == 200) {
                        assertThat(exchange.json().getList("memories")).isNotNull();
                        assertThat(exchange.json().getInt("pagination.currentPage"))
                                .isPositive();
                    }
                });
    }

    @Test
    void malformedBodiesAreA400() {
        Arbitrary<String> malformed = Arbitraries.oneOf(
                Arbitraries.of(
                        "{",
                        "}",
                        "[]",
                        "\"text\"",
                        "42",
                        "{\"content\":}",
                        "{'content':'x'}",
                        "{\"content\":\"x\",}",
                        "{\"content\":\"\\ud800\"",
                        "{\"content\":\"x\" \"containerTag\":\"t\"}"),
                Arbitraries.integers().between(1, 5000).map(n -> "[".repeat(n)),
                Arbitraries.integers().between(900, 3000).map(n -> {
                    // deep where each endpoint reads (metadata, filters, documents): unknown fields are skipped
                    String deep = "{\"a\":".repeat(n) + "1" + "}".repeat(n);
                    return "{\"content\":\"x\",\"metadata\":" + deep + ",\"filters\":" + deep + ",\"documents\":" + deep
                            + "}";
                }),
                Arbitraries.strings().all().ofMaxLength(40).filter(s -> !s.isBlank() && !s.equals("null")));
        Arbitrary<String> paths = Arbitraries.of("/v3/documents", "/v3/documents/batch", "/v3/documents/list");

        forEach(Combinators.combine(paths, malformed).as(Map::entry), 100, request -> {
            long before = TestDatabase.count("documents");
            Response response = json().body(request.getValue().getBytes(StandardCharsets.UTF_8))
                    .post(request.getKey());

            assertThat(response.statusCode()).as("status").isEqualTo(400);
            assertErrorBody(response);
            assertThat(TestDatabase.count("documents")).isEqualTo(before);
        });
    }

    @Test
    void aListedFilterReturnsExactlyTheDocumentsItMatches() {
        String tag = unique("prop_filter");
        Map<String, Map<String, Object>> metadataById = new LinkedHashMap<>();
        forEach(metadata(), 25, metadata -> {
            Map<String, Object> body = Map.of("content", "filter fixture", "containerTag", tag, "metadata", metadata);
            Exchange added = post("/v3/documents", body);
            assertThat(added.status()).isEqualTo(200);
            metadataById.put(added.json().getString("id"), metadata);
        });

        forEach(filters(), 60, filter -> {
            Filter parsed = FilterParser.parse(filter, "filters");
            Set<String> expected = new HashSet<>();
            metadataById.forEach((id, metadata) -> {
                if (parsed.matches(metadata)) {
                    expected.add(id);
                }
            });

            Exchange listed =
                    post("/v3/documents/list", Map.of("containerTags", List.of(tag), "filters", filter, "limit", 1000));

            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.json().getList("memories.id", String.class))
                    .containsExactlyInAnyOrderElementsOf(expected);
        });
    }

    /**
     * Found by the properties above: PostgreSQL cannot store NUL or a surrogate without its pair, and the insert or
     * query failed with a 500.
     */
    @Test
    void nulAndUnpairedSurrogatesInContentMetadataOrAFilterAreA400NamingTheField() {
        String tag = unique("prop_nul");
        List<Map.Entry<Map<String, Object>, String>> cases = List.of(
                Map.entry(Map.of("content", "a\u0000b", "containerTag", tag), "content"),
                Map.entry(Map.of("content", "x", "containerTag", tag, "entityContext", "\u0000"), "entityContext"),
                Map.entry(Map.of("content", "x", "containerTag", tag, "metadata", Map.of("k", "\u0000")), "metadata.k"),
                Map.entry(
                        Map.of("content", "x", "containerTag", tag, "metadata", Map.of("k", List.of("a", "\u0000"))),
                        "metadata.k[1]"),
                Map.entry(Map.of("content", "x", "containerTag", tag, "metadata", Map.of("a\u0000", 1)), "metadata"),
                Map.entry(Map.of("content", "x\ud800", "containerTag", tag), "content"),
                Map.entry(Map.of("content", "x", "containerTag", tag, "entityContext", "\udc00"), "entityContext"),
                Map.entry(Map.of("content", "x", "containerTag", tag, "filepath", "/a\ud800"), "filepath"),
                Map.entry(
                        Map.of("content", "x", "containerTag", tag, "metadata", Map.of("k", "\udfff")), "metadata.k"));
        for (var c : cases) {
            Exchange exchange = post("/v3/documents", c.getKey());
            assertThat(exchange.status()).as("%s", c.getValue()).isEqualTo(400);
            assertThat(exchange.json().getString("details"))
                    .startsWith(c.getValue() + ":")
                    .containsAnyOf("NUL", "unpaired surrogate");
        }
        Map<String, Object> batch = Map.of(
                "containerTag", tag, "documents", List.of(Map.of("content", "\u0000"), Map.of("content", "fine")));
        Exchange batched = post("/v3/documents/batch", batch);
        assertThat(batched.status()).isEqualTo(200);
        assertThat(batched.json().getList("results.status")).containsExactly("error", "queued");

        Map<String, Object> filter = Map.of("AND", List.of(Map.of("key", "k", "value", "\u0000", "negate", true)));
        Exchange listed = post("/v3/documents/list", Map.of("containerTags", List.of(tag), "filters", filter));
        assertThat(listed.status()).isEqualTo(400);
        assertThat(listed.json().getString("details")).startsWith("filters.AND[0].value:");
    }

    // --- running the cases

    private record Exchange(int status, JsonPath json) {}

    /**
     * Posts {@code body} (as UTF-8 or with every non-ASCII character escaped) and checks what holds for any answer:
     * a 2xx, or a 4xx with {@code {error, details}} that stored nothing.
     */
    private static Exchange post(String path, Map<String, Object> body) {
        long before = TestDatabase.count("documents");
        Response response = json().body(serialize(body)).post(path);
        int status = response.statusCode();

        assertThat(status).as("status").isBetween(200, 499);
        if (status >= 400) {
            assertErrorBody(response);
            assertThat(TestDatabase.count("documents"))
                    .as("documents after a %d", status)
                    .isEqualTo(before);
        }
        return new Exchange(status, response.jsonPath());
    }

    private static void assertErrorBody(Response response) {
        assertThat(response.contentType()).startsWith(ContentType.JSON.toString());
        JsonPath error = response.jsonPath();
        assertThat(error.getString("error")).as("error").isNotBlank();
        assertThat(error.getString("details")).as("details").isNotBlank();
    }

    private static byte[] serialize(Map<String, Object> body) {
        try {
            // non-ASCII escaped, so that unpaired surrogates arrive as sent (plain UTF-8 could not carry them)
            return ESCAPING.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code check} on {@code tries} cases drawn from {@code cases}; a failure names the case. (jqwik draws
     * samples outside its own properties from a random source of its own, which cannot be seeded from here.)
     */
    private static <T> void forEach(Arbitrary<T> cases, int tries, java.util.function.Consumer<T> check) {
        List<T> values = cases.sampleStream().limit(tries).toList();
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            try {
                check.accept(value);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("case " + i + ": " + abbreviate(value), e);
            }
        }
    }

    /** The case as escaped JSON (test reports cut text at control characters), at most 600 characters. */
    private static String abbreviate(Object value) {
        String text;
        try {
            text = ESCAPING.writeValueAsString(value);
        } catch (Exception e) {
            text = String.valueOf(value);
        }
        return text.length() > 600 ? text.substring(0, 600) + "… (" + text.length() + " chars)" : text;
    }

    // --- generators

    private Map<String, Object> validAdd() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", "A property test document.");
        body.put("containerTag", unique("prop_add"));
        body.put("metadata", new LinkedHashMap<>(Map.of("source", "property", "n", 1)));
        return body;
    }

    /** A valid body with one to three of {@code fields} replaced by hostile values (or removed). */
    private static Arbitrary<Map<String, Object>> hostileBodies(
            List<String> fields, java.util.function.Supplier<Map<String, Object>> valid) {
        Arbitrary<AbstractMap.SimpleEntry<String, Object>> change = Combinators.combine(
                        Arbitraries.of(fields), hostileFieldValue())
                .as((field, value) -> new AbstractMap.SimpleEntry<>(field, value)); // the value may be null
        return change.list().ofMinSize(1).ofMaxSize(3).map(changes -> {
            Map<String, Object> body = valid.get();
            changes.forEach(c -> body.put(c.getKey(), c.getValue()));
            return body;
        });
    }

    /** A hostile value for a field: anything from {@link #hostileValue()}, or metadata-shaped maps and filters. */
    private static Arbitrary<Object> hostileFieldValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, hostileValue()),
                Tuple.of(
                        2,
                        Arbitraries.maps(hostileString(), hostileValue())
                                .ofMaxSize(4)
                                .map(m -> (Object) m)),
                Tuple.of(1, Arbitraries.integers().between(63, 70).map(HostileRequestsPropertyTest::manyKeys)),
                Tuple.of(2, filters().map(f -> (Object) f)));
    }

    private static Arbitrary<Object> hostileValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, hostileString().map(s -> (Object) s)),
                Tuple.of(1, Arbitraries.integers().map(i -> (Object) i)),
                Tuple.of(1, Arbitraries.of(-1.5, 0.0, 1e308, -1e-300, 2.5).map(d -> (Object) d)),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                        BigInteger.TEN.pow(400),
                                        BigInteger.TWO.pow(64).add(BigInteger.ONE))
                                .map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(1, hostileString().list().ofMaxSize(3).map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.of(1000, 10_000).map(HostileRequestsPropertyTest::strings)),
                Tuple.of(1, Arbitraries.of(2, 50, 999, 1001, 5000).map(HostileRequestsPropertyTest::nested)));
    }

    private static Arbitrary<String> hostileString() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(PAYLOADS)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(12)),
                Tuple.of(
                        2,
                        Arbitraries.strings()
                                .withChars("abc_:.-")
                                .ofMinLength(1)
                                .ofMaxLength(8)),
                // around the limits: tags and ids 100, metadata keys 128, paths 1024, entity context 1500,
                // metadata values 4096 characters; content 1 MB of UTF-8 (ASCII here: escaped, é would be 6 MB)
                Tuple.of(
                        1,
                        Arbitraries.of(99, 100, 101, 128, 129, 1024, 1025, 1500, 1501, 4096, 4097)
                                .map("\u00e9"::repeat)),
                Tuple.of(1, Arbitraries.of(1024 * 1024, 1024 * 1024 + 1).map("a"::repeat)));
    }

    /** A list of {@code size} short strings. */
    private static Object strings(int size) {
        List<String> strings = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            strings.add("item " + i);
        }
        return strings;
    }

    /** Arrays nested {@code depth} deep, sent as raw JSON text (Jackson would not write that deep a structure). */
    private static Object nested(int depth) {
        return new RawValue("[".repeat(depth) + "]".repeat(depth));
    }

    private static Object manyKeys(int size) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            metadata.put("k" + i, i);
        }
        return metadata;
    }

    // --- filters and metadata over shared keys and values, so that filters both hit and miss

    private static final List<String> KEYS = List.of("source", "n", "tags", "' OR 1=1 --", "\u00c9t\u00e9");
    private static final List<String> VALUES =
            List.of("chat", "CHAT", "1", "2.5", "-3", "true", "*:*", "\u00e9t\u00e9", "\u00c9T\u00c9", "x\ud83d\ude00");

    private static Arbitrary<Map<String, Object>> metadata() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.of(VALUES).map(v -> (Object) v),
                Arbitraries.of(VALUES).map(v -> (Object) ("x" + v + "y")),
                Arbitraries.of(1, 2, -3, 0, 100).map(v -> (Object) v),
                Arbitraries.of(2.5, 1.0, -0.5, 1e20).map(v -> (Object) v),
                Arbitraries.of(true, false).map(v -> (Object) v),
                Arbitraries.of(VALUES).list().ofMaxSize(3).map(v -> (Object) v));
        return Arbitraries.maps(Arbitraries.of(KEYS), value).ofMaxSize(KEYS.size());
    }

    private static Arbitrary<Map<String, Object>> filters() {
        return group(3);
    }

    private static Arbitrary<Map<String, Object>> group(int levels) {
        Arbitrary<Object> condition = Combinators.combine(
                        Arbitraries.of(KEYS),
                        Arbitraries.of(VALUES),
                        Arbitraries.of("metadata", "numeric", "array_contains", "string_contains"),
                        Arbitraries.of(">", "<", ">=", "<=", "="),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as((key, value, type, operator, ignoreCase, negate) -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("key", key);
                    c.put("value", type.equals("numeric") ? numberFor(value) : value);
                    c.put("filterType", type);
                    c.put("ignoreCase", ignoreCase);
                    c.put("negate", negate);
                    if (type.equals("numeric")) {
                        c.put("numericOperator", operator);
                    }
                    return c;
                });
        Arbitrary<Object> child = levels == 1
                ? condition
                : Arbitraries.frequencyOf(
                        Tuple.of(3, condition),
                        Tuple.of(1, Arbitraries.lazy(() -> group(levels - 1)).map(g -> (Object) g)));
        return Combinators.combine(
                        Arbitraries.of("AND", "OR"), child.list().ofMinSize(1).ofMaxSize(3))
                .as((operator, children) -> Map.<String, Object>of(operator, children));
    }

    private static String numberFor(String value) {
        return value.matches("-?[0-9.]+") ? value : String.valueOf(value.length());
    }
}

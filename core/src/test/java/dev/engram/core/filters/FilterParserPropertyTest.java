package dev.engram.core.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the filter grammar over generated input: any JSON either parses into a filter or is rejected with an
 * {@link InvalidFilterException} naming a path (never another exception); the limits on depth and size hold exactly;
 * valid filters parse to what was sent and evaluate as the documented rules say.
 */
class FilterParserPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Field names the grammar knows, mixed with hostile ones, so that generated objects get past the first check. */
    private static final List<String> FIELD_NAMES =
            List.of("AND", "OR", "key", "value", "filterType", "ignoreCase", "negate", "numericOperator", "and", "");

    @Property(tries = 500)
    void anyJsonIsAFilterOrAnErrorNamingItsPath(@ForAll("json") Object json) {
        assertParsesOrNamesAPath(JSON.valueToTree(json));
    }

    @Property(tries = 200)
    void anyJsonSentAsAStringIsAFilterOrAnErrorNamingItsPath(@ForAll("json") Object json) throws Exception {
        assertParsesOrNamesAPath(TextNode.valueOf(JSON.writeValueAsString(json)));
    }

    @Property(tries = 300)
    void anyTextSentAsTheFilterStringIsAFilterOrAnErrorNamingItsPath(@ForAll("text") String text) {
        assertParsesOrNamesAPath(TextNode.valueOf(text));
    }

    @Property(tries = 500)
    void aValidFilterWithOneFieldBrokenIsAFilterOrAnErrorNamingItsPath(
            @ForAll("hostileFilters") FilterSpecs.Group filter,
            @ForAll("smallJson") Object replacement,
            @ForAll long seed) {
        Object broken = breakOneField(filter.json(), replacement, new java.util.Random(seed));

        assertParsesOrNamesAPath(JSON.valueToTree(broken));
    }

    @Property(tries = 200)
    void groupsNestUpToFiveLevelsAndNoDeeper(@ForAll @IntRange(min = 1, max = 2000) int depth, @ForAll boolean and) {
        // built node by node: Jackson's own conversion of a 2000-deep map would overflow the test's stack
        JsonNode node = JSON.createObjectNode().put("key", "k").put("value", "v");
        for (int level = 0; level < depth; level++) {
            ObjectNode group = JSON.createObjectNode();
            group.putArray(((level % 2 == 0) == and) ? "AND" : "OR").add(node);
            node = group;
        }
        JsonNode filter = node;

        Throwable thrown = catchThrowable(() -> FilterParser.parse(filter, "filters"));

        if (depth <= FilterParser.MAX_DEPTH) {
            assertThat(thrown).isNull();
        } else {
            assertThat(thrown).isInstanceOf(InvalidFilterException.class).hasMessageContaining("deeper than 5");
            // the group at the sixth level is the one named
            String path = ((InvalidFilterException) thrown).path();
            assertThat(path.split("\\[0]", -1)).hasSize(FilterParser.MAX_DEPTH + 1);
        }
    }

    @Property(tries = 50)
    void aGroupHoldsUpToTwoHundredConditionsAndNoMore(@ForAll @IntRange(min = 1, max = 5000) int size) {
        List<Object> conditions = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            conditions.add(Map.of("key", "k" + i, "value", "v"));
        }
        JsonNode node = JSON.valueToTree(Map.of("OR", conditions));

        Throwable thrown = catchThrowable(() -> FilterParser.parse(node, "filters"));

        if (size <= FilterParser.MAX_NODES) {
            assertThat(thrown).isNull();
        } else {
            assertThat(thrown).isInstanceOf(InvalidFilterException.class).hasMessageContaining("more than 200");
        }
    }

    @Property(tries = 500)
    void aValidFilterParsesToWhatWasSentAsObjectAndAsString(@ForAll("hostileFilters") FilterSpecs.Group filter)
            throws JsonProcessingException {
        Filter expected = filter.expected();

        assertThat(FilterParser.parse(JSON.valueToTree(filter.json()), "filters"))
                .isEqualTo(expected);
        assertThat(FilterParser.parse(TextNode.valueOf(JSON.writeValueAsString(filter.json())), "filters"))
                .isEqualTo(expected);
        assertThat(FilterParser.parse(filter.json(), "filters")).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void aValidFilterMatchesExactlyWhatTheDocumentedRulesSay(
            @ForAll("sharedFilters") FilterSpecs.Group filter,
            @ForAll("documents") List<Map<String, Object>> documents) {
        Filter parsed = FilterParser.parse(JSON.valueToTree(filter.json()), "filters");

        for (Map<String, Object> metadata : documents) {
            boolean expected = filter.reference(metadata);
            assertThat(parsed.matches(metadata))
                    .as("%s on %s", filter.json(), metadata)
                    .isEqualTo(expected);
            Statistics.collect(expected);
        }
        // the generated filters and metadata must both hit and miss, or this property shows little
        Statistics.coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 10);
            coverage.check(false).percentage(p -> p > 10);
        });
    }

    private static void assertParsesOrNamesAPath(JsonNode node) {
        Filter filter;
        try {
            filter = FilterParser.parse(node, "filters");
        } catch (InvalidFilterException e) {
            assertThat(e.path()).startsWith("filters");
            assertThat(e.getMessage()).startsWith(e.path() + ": ");
            return;
        }
        // null only for a JSON null; anything else that parses is a group with at least one element
        if (filter == null) {
            assertThat(node.isNull()).isTrue();
        } else {
            assertThat(filter).isInstanceOfAny(Filter.And.class, Filter.Or.class);
        }
    }

    /** Replaces one field value (or list element) somewhere in a filter's JSON by {@code replacement}. */
    @SuppressWarnings("unchecked")
    private static Object breakOneField(Object json, Object replacement, java.util.Random random) {
        if (json instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
            List<String> keys = new ArrayList<>(copy.keySet());
            String key = keys.get(random.nextInt(keys.size()));
            Object value = copy.get(key);
            boolean here = !(value instanceof Map || value instanceof List) || random.nextInt(3) == 0;
            copy.put(key, here ? replacement : breakOneField(value, replacement, random));
            return copy;
        }
        if (json instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list);
            int i = random.nextInt(copy.size());
            boolean here = random.nextInt(3) == 0;
            copy.set(i, here ? replacement : breakOneField(copy.get(i), replacement, random));
            return copy;
        }
        return replacement;
    }

    @Provide
    Arbitrary<Object> json() {
        return json(4);
    }

    @Provide
    Arbitrary<Object> smallJson() {
        return json(2);
    }

    /** JSON values (as maps, lists and scalars) that look somewhat like filters, nested up to {@code levels}. */
    private Arbitrary<Object> json(int levels) {
        Arbitrary<Object> scalars = Arbitraries.frequencyOf(
                Tuple.of(5, HostileText.any().map(s -> (Object) s)),
                Tuple.of(1, Arbitraries.of(FilterSpecs.NUMBERS).map(s -> (Object) s)),
                Tuple.of(
                        1,
                        Arbitraries.of("metadata", "numeric", "array_contains", "string_contains", ">", "<=", "!=")
                                .map(s -> (Object) s)),
                Tuple.of(1, Arbitraries.integers().map(i -> (Object) i)),
                Tuple.of(1, Arbitraries.doubles().map(d -> (Object) d)),
                Tuple.of(
                        1,
                        Arbitraries.bigIntegers()
                                .between(java.math.BigInteger.TEN.pow(400).negate(), java.math.BigInteger.TEN.pow(400))
                                .map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.just(null)));
        if (levels == 0) {
            return scalars;
        }
        Arbitrary<Object> inner = Arbitraries.lazy(() -> json(levels - 1));
        Arbitrary<String> names =
                Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(FIELD_NAMES)), Tuple.of(1, HostileText.any()));
        Arbitrary<Object> objects = Arbitraries.maps(names, inner).ofMaxSize(4).map(m -> (Object) m);
        Arbitrary<Object> lists = inner.list().ofMaxSize(4).map(l -> (Object) l);
        Arbitrary<Object> hugeLists = Arbitraries.of(FilterSpecs.VALUES)
                .map(v -> (Object) v)
                .list()
                .ofMinSize(150)
                .ofMaxSize(400)
                .map(l -> (Object) l);
        return Arbitraries.frequencyOf(
                Tuple.of(4, scalars), Tuple.of(4, objects), Tuple.of(3, lists), Tuple.of(1, hugeLists));
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                HostileText.any(),
                Arbitraries.of("{", "{\"AND\":", "[", "{\"AND\":[{\"key\":\"k\",\"value\":\"v\"}]", "\"{}\"")
                        .map(s -> s),
                Arbitraries.integers().between(1, 3000).map(n -> "{\"AND\":[".repeat(n)),
                Arbitraries.integers().between(1, 3000).map(n -> "[".repeat(n) + "]".repeat(n)));
    }

    @Provide
    Arbitrary<FilterSpecs.Group> hostileFilters() {
        return FilterSpecs.filters(HostileText.valid().filter(s -> !s.isEmpty()), HostileText.valid());
    }

    @Provide
    Arbitrary<FilterSpecs.Group> sharedFilters() {
        return FilterSpecs.sharedFilters();
    }

    @Provide
    Arbitrary<List<Map<String, Object>>> documents() {
        return FilterSpecs.metadata().list().ofMaxSize(8);
    }
}

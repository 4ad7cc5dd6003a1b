package dev.engram.core.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Filter parse(String json) throws Exception {
        return FilterParser.parse(JSON.readTree(json), "filters");
    }

    @Test
    void nestedGroupsAndEveryConditionTypeParseAndEvaluate() throws Exception {
        Filter filter = parse("""
                {"AND":[
                  {"key":"source","value":"chat"},
                  {"key":"priority","value":"2","filterType":"numeric","numericOperator":">="},
                  {"OR":[
                    {"key":"labels","value":"HOME","filterType":"array_contains","ignoreCase":true},
                    {"key":"title","value":"berlin","filterType":"string_contains","ignoreCase":"true"}
                  ]}
                ]}
                """);

        var doc = Map.<String, Object>of("source", "chat", "priority", 3, "labels", List.of("home"), "title", "x");
        assertThat(filter.matches(doc)).isTrue();
        assertThat(filter.matches(Map.of("source", "chat", "priority", 1, "labels", List.of("home"))))
                .isFalse();
        assertThat(filter.matches(Map.of("source", "chat", "priority", 2, "title", "Moving to Berlin")))
                .isTrue();
        assertThat(filter.matches(Map.of("source", "mail", "priority", 9, "labels", List.of("home"))))
                .isFalse();
    }

    @Test
    void negatedNumericFlipsTheOperatorSoMissingValuesNeverMatch() throws Exception {
        Filter filter =
                parse("{\"AND\":[{\"key\":\"n\",\"value\":\"5\",\"filterType\":\"numeric\",\"numericOperator\":\">\","
                        + "\"negate\":true}]}");

        assertThat(filter.matches(Map.of("n", 5))).isTrue();
        assertThat(filter.matches(Map.of("n", 4.5))).isTrue();
        assertThat(filter.matches(Map.of("n", 6))).isFalse();
        assertThat(filter.matches(Map.of())).isFalse();
        assertThat(filter.matches(Map.of("n", "five"))).isFalse();
    }

    @Test
    void negatedMetadataAndContainsInvertTheTest() throws Exception {
        Filter notChat = parse("{\"OR\":[{\"key\":\"source\",\"value\":\"chat\",\"negate\":\"true\"}]}");
        Filter noUrgent = parse(
                "{\"OR\":[{\"key\":\"tags\",\"value\":\"urgent\",\"filterType\":\"array_contains\",\"negate\":true}]}");

        assertThat(notChat.matches(Map.of("source", "mail"))).isTrue();
        assertThat(notChat.matches(Map.of())).isTrue();
        assertThat(notChat.matches(Map.of("source", "chat"))).isFalse();
        assertThat(noUrgent.matches(Map.of("tags", List.of("a", "urgent")))).isFalse();
        assertThat(noUrgent.matches(Map.of("tags", List.of("a")))).isTrue();
    }

    @Test
    void numbersAndBooleansCompareByTheirCanonicalText() throws Exception {
        assertThat(parse("{\"AND\":[{\"key\":\"v\",\"value\":\"2\"}]}").matches(Map.of("v", 2.0)))
                .isTrue();
        assertThat(parse("{\"AND\":[{\"key\":\"b\",\"value\":\"true\"}]}").matches(Map.of("b", true)))
                .isTrue();
    }

    @Test
    void filtersMayArriveAsAJsonString() throws Exception {
        JsonNode asString = JSON.valueToTree("{\"AND\":[{\"key\":\"a\",\"value\":\"b\"}]}");

        assertThat(FilterParser.parse(asString, "filters").matches(Map.of("a", "b")))
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not an object         | [1]                                                                   | filters",
                "both AND and OR       | {\"AND\":[],\"OR\":[]}                                                | filters",
                "empty group           | {\"AND\":[]}                                                          | filters.AND",
                "missing key           | {\"AND\":[{\"value\":\"x\"}]}                                         | filters.AND[0].key",
                "missing value         | {\"OR\":[{\"key\":\"x\"}]}                                            | filters.OR[0].value",
                "unknown type          | {\"AND\":[{\"key\":\"k\",\"value\":\"v\",\"filterType\":\"regex\"}]}  | filters.AND[0].filterType",
                "bad operator          | {\"AND\":[{\"key\":\"k\",\"value\":\"1\",\"filterType\":\"numeric\",\"numericOperator\":\"!=\"}]} | filters.AND[0].numericOperator",
                "non-numeric value     | {\"AND\":[{\"key\":\"k\",\"value\":\"abc\",\"filterType\":\"numeric\"}]} | filters.AND[0].value",
                "operator on metadata  | {\"AND\":[{\"key\":\"k\",\"value\":\"1\",\"numericOperator\":\">\"}]} | filters.AND[0].numericOperator",
                "bad negate            | {\"AND\":[{\"key\":\"k\",\"value\":\"1\",\"negate\":\"yes\"}]}        | filters.AND[0].negate",
                "unknown field         | {\"AND\":[{\"key\":\"k\",\"value\":\"1\",\"sql\":\"drop\"}]}          | filters.AND[0].sql",
                "string not JSON       | \"{nope\"                                                             | filters",
                "NUL in a value        | {\"AND\":[{\"key\":\"k\",\"value\":\"a\\u0000b\"}]}                     | filters.AND[0].value",
                "NUL in a key          | {\"OR\":[{\"key\":\"\\u0000\",\"value\":\"v\"}]}                        | filters.OR[0].key",
                "lone high surrogate   | {\"AND\":[{\"key\":\"k\",\"value\":\"x\\ud800\"}]}                    | filters.AND[0].value",
                "lone low surrogate    | {\"AND\":[{\"key\":\"\\udc00k\",\"value\":\"v\"}]}                    | filters.AND[0].key",
            })
    void invalidFiltersAreRejectedNamingThePath(String name, String json, String path) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(InvalidFilterException.class)
                .satisfies(e -> assertThat(((InvalidFilterException) e).path()).isEqualTo(path));
    }

    @Test
    void nestingDeeperThanFiveLevelsIsRejected() {
        String leaf = "{\"key\":\"k\",\"value\":\"v\"}";
        String five = leaf;
        for (int i = 0; i < 5; i++) {
            five = "{\"AND\":[" + five + "]}";
        }
        String six = "{\"OR\":[" + five + "]}";
        String fiveLevels = five;

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> parse(fiveLevels)))
                .isNull();
        assertThatThrownBy(() -> parse(six))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessageContaining("deeper than 5");
    }
}

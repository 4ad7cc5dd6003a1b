package dev.engram.vectors.contract;

import dev.engram.core.filters.Filter;
import dev.engram.core.filters.FilterType;
import dev.engram.core.filters.NumericOperator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random metadata and filters for property tests of filter translations. The value pools are small and
 * overlapping on purpose (case variants, numbers as strings, lists beside scalars, {@code -0.0}, dotted and
 * upper-case Turkish I, sharp s), so random filters often hit the corners of the reference semantics.
 */
public final class FilterFixtures {

    /** Metadata keys the random metadata uses; filters also ask for a key no point has. */
    public static final List<String> KEYS = List.of("color", "n", "flag", "tags", "title", "mixed", "a.b key");

    private static final List<String> COLORS =
            List.of("red", "Red", "RED", "blue", "green", "", "İstanbul", "istanbul", "straße", "STRASSE");
    private static final List<Object> NUMBERS =
            List.of(-3L, -1L, 0L, 1L, 2L, 3L, -2.5, -0.0, 0.0, 0.5, 1.0, 2.0, 3.5, "1", "2.0", true);
    private static final List<Object> FLAGS = List.of(true, false, "true", "True", 1L);
    private static final List<String> TAGS = List.of("a", "A", "b", "news", "News", "x y");
    private static final List<Object> TITLES =
            List.of("Hello World", "hello there", "WORLD peace", "İstanbul nights", "", "say hello", 5L);
    private static final List<Object> MIXED =
            List.of("1", 1L, 1.0, true, List.of("1"), Map.of("k", "v"), "k", List.of(), List.of(1L, 2.5, "b"));

    private static final List<String> EQUALITY_VALUES = List.of(
            "red",
            "Red",
            "RED",
            "blue",
            "",
            "istanbul",
            "İSTANBUL",
            "STRASSE",
            "straße",
            "1",
            "2",
            "1.0",
            "2.0",
            "-2.5",
            "0",
            "-0",
            "0.0",
            "true",
            "false",
            "True",
            "a",
            "A",
            "news",
            "x y",
            "k",
            "b",
            "2.5");
    private static final List<String> SUBSTRINGS = List.of(
            "hello", "Hello", "HELLO", "world", "o w", "", "İ", "i̇", "istanbul", "ss", "ß", "red", "e", "5", "1");
    private static final List<String> NUMERIC_VALUES = List.of("-3", "-2.5", "-0", "0", "0.5", "1", "2", "3.5", "10");
    private static final List<NumericOperator> OPERATORS = List.of(
            NumericOperator.GT, NumericOperator.LT, NumericOperator.GTE, NumericOperator.LTE, NumericOperator.EQ);

    private FilterFixtures() {}

    /** Random metadata over {@link #KEYS}; each key may be missing. */
    public static Map<String, Object> randomMetadata(Random random) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        maybe(random, metadata, "color", () -> pick(random, COLORS));
        maybe(random, metadata, "n", () -> pick(random, NUMBERS));
        maybe(random, metadata, "flag", () -> pick(random, FLAGS));
        maybe(random, metadata, "tags", () -> randomTags(random));
        maybe(random, metadata, "title", () -> pick(random, TITLES));
        maybe(random, metadata, "mixed", () -> pick(random, MIXED));
        maybe(random, metadata, "a.b key", () -> pick(random, COLORS));
        return metadata;
    }

    /** A random filter: nested AND/OR groups (up to three levels) over random conditions. */
    public static Filter randomFilter(Random random) {
        return randomFilter(random, 1);
    }

    private static Filter randomFilter(Random random, int depth) {
        if (depth <= 3 && random.nextInt(3) == 0) {
            int size = 1 + random.nextInt(3);
            List<Filter> children = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                children.add(randomFilter(random, depth + 1));
            }
            return random.nextBoolean() ? new Filter.And(children) : new Filter.Or(children);
        }
        return randomCondition(random);
    }

    /** A random condition of any type, negated or not, ignoring case or not. */
    public static Filter.Condition randomCondition(Random random) {
        FilterType type = pick(random, List.of(FilterType.values()));
        String key = random.nextInt(12) == 0 ? "absent" : pick(random, random.nextBoolean() ? KEYS : likelyKeys(type));
        boolean negate = random.nextBoolean();
        boolean ignoreCase = random.nextBoolean();
        return switch (type) {
            case NUMERIC -> {
                String value = pick(random, NUMERIC_VALUES);
                yield new Filter.Condition(
                        key, value, type, false, negate, pick(random, OPERATORS), Double.parseDouble(value));
            }
            case METADATA, ARRAY_CONTAINS ->
                new Filter.Condition(
                        key,
                        pick(random, random.nextInt(4) == 0 ? EQUALITY_VALUES : likelyValues(key)),
                        type,
                        ignoreCase,
                        negate,
                        NumericOperator.EQ,
                        Double.NaN);
            case STRING_CONTAINS ->
                new Filter.Condition(
                        key, pick(random, SUBSTRINGS), type, ignoreCase, negate, NumericOperator.EQ, Double.NaN);
        };
    }

    /** Equality values that some points hold under {@code key}. */
    private static List<String> likelyValues(String key) {
        return switch (key) {
            case "color", "a.b key" -> COLORS;
            case "n" -> List.of("-3", "1", "2", "-2.5", "0", "0.5", "3.5", "2.0", "true");
            case "flag" -> List.of("true", "false", "True", "1");
            case "tags" -> List.of("a", "A", "news", "b", "1", "2");
            case "title" -> List.of("Hello World", "hello world", "5", "");
            default -> List.of("1", "1.0", "true", "k", "b", "2.5");
        };
    }

    /** Keys whose values often pass a condition of {@code type}, so that random filters are selective. */
    private static List<String> likelyKeys(FilterType type) {
        return switch (type) {
            case NUMERIC -> List.of("n", "flag", "mixed");
            case METADATA -> List.of("color", "n", "flag", "a.b key", "mixed");
            case ARRAY_CONTAINS -> List.of("tags", "mixed");
            case STRING_CONTAINS -> List.of("title", "color", "a.b key");
        };
    }

    private static Object randomTags(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> pick(random, TAGS); // a string, not a list
            case 1 -> List.of(1L, 2.0, "b");
            case 2 -> List.of();
            default -> {
                int size = 1 + random.nextInt(3);
                List<String> tags = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    tags.add(pick(random, TAGS));
                }
                yield tags;
            }
        };
    }

    private static void maybe(
            Random random, Map<String, Object> metadata, String key, java.util.function.Supplier<Object> value) {
        if (random.nextInt(5) != 0) {
            metadata.put(key, value.get());
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}

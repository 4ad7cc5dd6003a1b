package dev.engram.core.filters;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Valid filters as the SDK sends them, each with the {@link Filter} it must parse to and a reference evaluation
 * written from the documented rules (independent of {@link Filter#matches}); and metadata maps to evaluate them on.
 */
final class FilterSpecs {

    /** Keys shared by the generated filters and metadata, so that conditions hit as well as miss. */
    static final List<String> KEYS = List.of("source", "n", "tags", "Title", "' OR 1=1 --", "$.a", "\u00c9t\u00e9");

    /** Values shared by the generated filters and metadata (and their case variants). */
    static final List<String> VALUES =
            List.of("chat", "CHAT", "1", "2.5", "-3", "true", "a b", "*:*", "'; drop table x; --", "\u00e9t\u00e9");

    static final List<String> NUMBERS = List.of("1", "2.5", "-3", " 4 ", "0", "1e2", "-0.5", "100");

    private FilterSpecs() {}

    /** A generated filter: what is sent, and what it means. */
    sealed interface Spec permits Group, Cond {
        /** The JSON (maps, lists, strings, numbers, booleans) the client sends. */
        Object json();

        /** The filter the parser must return. */
        Filter expected();

        /** The documented meaning, evaluated without {@link Filter#matches}. */
        boolean reference(Map<String, Object> metadata);

        /** Groups and conditions in this spec below the top group. */
        int nodes();
    }

    record Group(boolean and, List<Spec> children) implements Spec {
        @Override
        public Object json() {
            return Map.of(and ? "AND" : "OR", children.stream().map(Spec::json).toList());
        }

        @Override
        public Filter expected() {
            List<Filter> filters = children.stream().map(Spec::expected).toList();
            return and ? new Filter.And(filters) : new Filter.Or(filters);
        }

        @Override
        public boolean reference(Map<String, Object> metadata) {
            boolean any = false;
            boolean all = true;
            for (Spec child : children) {
                boolean holds = child.reference(metadata);
                any |= holds;
                all &= holds;
            }
            return and ? all : any;
        }

        @Override
        public int nodes() {
            return children.size() + children.stream().mapToInt(Spec::nodes).sum();
        }
    }

    /**
     * One condition.
     *
     * @param flagsAsText send {@code ignoreCase}/{@code negate} as the strings "true"/"false" (accepted too)
     * @param explicitDefaults send {@code filterType: metadata} and false flags instead of leaving them out
     */
    record Cond(
            String key,
            String value,
            FilterType type,
            boolean ignoreCase,
            boolean negate,
            String operator,
            boolean flagsAsText,
            boolean explicitDefaults)
            implements Spec {

        @Override
        public Object json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("key", key);
            json.put("value", value);
            if (type != FilterType.METADATA || explicitDefaults) {
                json.put("filterType", type.wireName());
            }
            if (ignoreCase || explicitDefaults) {
                json.put("ignoreCase", flagsAsText ? String.valueOf(ignoreCase) : ignoreCase);
            }
            if (negate || explicitDefaults) {
                json.put("negate", flagsAsText ? String.valueOf(negate) : negate);
            }
            if (operator != null) {
                json.put("numericOperator", operator);
            }
            return json;
        }

        @Override
        public Filter expected() {
            NumericOperator op = NumericOperator.EQ;
            double number = Double.NaN;
            if (type == FilterType.NUMERIC) {
                op = operator == null ? NumericOperator.EQ : NumericOperator.fromRequest(operator);
                number = Double.parseDouble(value.trim());
            }
            return new Filter.Condition(key, value, type, ignoreCase, negate, Objects.requireNonNull(op), number);
        }

        @Override
        public boolean reference(Map<String, Object> metadata) {
            Object actual = metadata.get(key);
            return switch (type) {
                case NUMERIC -> numeric(actual);
                case METADATA -> negate ^ (isScalar(actual) && same(text(actual), value));
                case ARRAY_CONTAINS ->
                    negate
                            ^ (actual instanceof List<?> list
                                    && list.stream().anyMatch(e -> isScalar(e) && same(text(e), value)));
                case STRING_CONTAINS -> negate ^ (actual instanceof String s && contains(s, value));
            };
        }

        @Override
        public int nodes() {
            return 0;
        }

        /** A numeric test never matches a missing or non-numeric value, negated or not. */
        private boolean numeric(Object actual) {
            if (!(actual instanceof Number n) || Double.isNaN(n.doubleValue())) {
                return false;
            }
            int cmp = Double.compare(n.doubleValue() + 0.0, Double.parseDouble(value.trim()) + 0.0);
            boolean holds = switch (operator == null ? "=" : operator) {
                case ">" -> cmp > 0;
                case "<" -> cmp < 0;
                case ">=" -> cmp >= 0;
                case "<=" -> cmp <= 0;
                default -> cmp == 0;
            };
            return negate != holds;
        }

        private boolean same(String actual, String expected) {
            return ignoreCase ? actual.equalsIgnoreCase(expected) : actual.equals(expected);
        }

        private boolean contains(String actual, String part) {
            return ignoreCase
                    ? actual.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT))
                    : actual.contains(part);
        }

        private static boolean isScalar(Object value) {
            return value instanceof String || value instanceof Number || value instanceof Boolean;
        }

        /** Numbers as written without a trailing zero fraction ({@code 2.0} is {@code "2"}), the rest as text. */
        private static String text(Object value) {
            if (value instanceof Double d) {
                return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
            }
            return value.toString();
        }
    }

    /** A condition over {@code keys} and {@code values}. */
    static Arbitrary<Cond> conditions(Arbitrary<String> keys, Arbitrary<String> values) {
        Arbitrary<FilterType> types = Arbitraries.of(FilterType.class);
        return Combinators.combine(
                        types,
                        keys,
                        values,
                        Arbitraries.of(NUMBERS),
                        Arbitraries.of("", ">", "<", ">=", "<=", "="),
                        Arbitraries.integers().between(0, 15))
                .as((type, key, value, number, operator, bits) -> new Cond(
                        key,
                        type == FilterType.NUMERIC ? number : value,
                        type,
                        (bits & 1) != 0,
                        (bits & 2) != 0,
                        type == FilterType.NUMERIC && !operator.isEmpty() ? operator : null,
                        (bits & 4) != 0,
                        (bits & 8) != 0));
    }

    /** A valid filter: groups nested at most {@code FilterParser.MAX_DEPTH} deep, within the node limit. */
    static Arbitrary<Group> filters(Arbitrary<String> keys, Arbitrary<String> values) {
        return group(conditions(keys, values), FilterParser.MAX_DEPTH).filter(g -> g.nodes() <= FilterParser.MAX_NODES);
    }

    /** A valid filter over the shared {@link #KEYS} and {@link #VALUES}, so that evaluations both hit and miss. */
    static Arbitrary<Group> sharedFilters() {
        return filters(Arbitraries.of(KEYS), Arbitraries.of(VALUES));
    }

    private static Arbitrary<Group> group(Arbitrary<Cond> conditions, int levels) {
        Arbitrary<Spec> child = levels == 1
                ? conditions.map(c -> c)
                : Arbitraries.frequencyOf(
                        Tuple.of(3, conditions), Tuple.of(1, Arbitraries.lazy(() -> group(conditions, levels - 1))));
        return Combinators.combine(
                        Arbitraries.of(true, false), child.list().ofMinSize(1).ofMaxSize(4))
                .as(Group::new);
    }

    /** Metadata over the shared keys: strings (and their case variants), numbers, booleans, lists, oddities. */
    static Arbitrary<Map<String, Object>> metadata() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.of(VALUES).map(v -> (Object) v),
                Arbitraries.of(VALUES).map(v -> (Object) v.toUpperCase(Locale.ROOT)),
                Arbitraries.of(VALUES).map(v -> (Object) ("x" + v + "y")),
                Arbitraries.of(1, 2, -3, 0, 100, 4).map(v -> (Object) v),
                Arbitraries.of(2.5, 1.0, -0.5, 4.0, 100.0, -0.0).map(v -> (Object) v),
                Arbitraries.of(true, false).map(v -> (Object) v));
        Arbitrary<Object> value = Arbitraries.frequencyOf(
                Tuple.of(6, scalar),
                Tuple.of(2, Arbitraries.of(VALUES).list().ofMaxSize(3).map(v -> (Object) v)),
                Tuple.of(1, Arbitraries.just(Map.of("nested", "chat"))));
        return Arbitraries.maps(Arbitraries.of(KEYS), value).ofMaxSize(KEYS.size());
    }

    /** The conditions of a spec, depth first. */
    static List<Cond> conditionsOf(Spec spec) {
        List<Cond> found = new ArrayList<>();
        collect(spec, found);
        return found;
    }

    private static void collect(Spec spec, List<Cond> found) {
        switch (spec) {
            case Cond c -> found.add(c);
            case Group g -> g.children().forEach(child -> collect(child, found));
        }
    }
}

package dev.engram.core.filters;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A metadata filter in the grammar of the Supermemory API: {@code {"AND": [...]}} / {@code {"OR": [...]}} nested up
 * to {@link FilterParser#MAX_DEPTH} levels, with {@link Condition}s as leaves. Produced by {@link FilterParser};
 * translated by each store into its own query language (SQL, Lucene, Qdrant), and evaluated in memory by
 * {@link #matches(Map)}, which is the reference semantics every translation must agree with.
 */
public sealed interface Filter permits Filter.And, Filter.Or, Filter.Condition {

    /** Whether a document or memory with this metadata passes the filter. */
    boolean matches(Map<String, Object> metadata);

    /** All of {@code filters} hold. */
    record And(List<Filter> filters) implements Filter {
        public And {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean matches(Map<String, Object> metadata) {
            return filters.stream().allMatch(f -> f.matches(metadata));
        }
    }

    /** At least one of {@code filters} holds. */
    record Or(List<Filter> filters) implements Filter {
        public Or {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean matches(Map<String, Object> metadata) {
            return filters.stream().anyMatch(f -> f.matches(metadata));
        }
    }

    /**
     * One test of one metadata key.
     *
     * @param key the metadata key (case sensitive)
     * @param value the value to compare with, as the API sends it (always a string)
     * @param type what kind of test
     * @param ignoreCase for {@code metadata}, {@code array_contains} and {@code string_contains}: compare ignoring case
     * @param negate invert the test; for {@code numeric} the operator is flipped instead ({@code >} becomes
     *     {@code <=}), so a missing or non-numeric value never matches either way
     * @param operator for {@code numeric} only: the comparison; {@code =} when not given
     * @param number for {@code numeric} only: {@code value} parsed
     */
    record Condition(
            String key,
            String value,
            FilterType type,
            boolean ignoreCase,
            boolean negate,
            NumericOperator operator,
            double number)
            implements Filter {

        public Condition {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(operator, "operator");
        }

        /** The numeric operator after {@code negate} was applied. */
        public NumericOperator effectiveOperator() {
            return negate ? operator.negated() : operator;
        }

        @Override
        public boolean matches(Map<String, Object> metadata) {
            Object actual = metadata == null ? null : metadata.get(key);
            return switch (type) {
                case NUMERIC ->
                    actual instanceof Number n
                            && !(actual instanceof Double d && d.isNaN())
                            && effectiveOperator().test(n.doubleValue(), number);
                case METADATA -> negate != equalsValue(actual);
                case ARRAY_CONTAINS ->
                    negate != (actual instanceof List<?> list && list.stream().anyMatch(this::equalsValue));
                case STRING_CONTAINS -> negate != (actual instanceof String s && contains(s));
            };
        }

        private boolean equalsValue(Object actual) {
            if (actual == null || actual instanceof List<?> || actual instanceof Map<?, ?>) {
                return false;
            }
            String text = FilterValues.canonical(actual);
            return ignoreCase ? text.equalsIgnoreCase(value) : text.equals(value);
        }

        private boolean contains(String text) {
            return ignoreCase
                    ? text.toLowerCase(java.util.Locale.ROOT).contains(value.toLowerCase(java.util.Locale.ROOT))
                    : text.contains(value);
        }
    }
}

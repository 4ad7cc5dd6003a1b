package dev.engram.ingest.listing;

import dev.engram.core.filters.Filter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Translates a {@link Filter} into a PostgreSQL condition on a {@code jsonb} metadata column, with the same meaning
 * as {@link Filter#matches}. Keys and values are always bind parameters ({@code $n}); only operators chosen from
 * enums are written into the SQL text, so no input ever becomes SQL.
 */
public final class MetadataFilterSql {

    private final String column;
    private final List<Object> parameters;

    /**
     * @param column the jsonb column, e.g. {@code d.metadata} (code-supplied, never input)
     * @param parameters the query's parameter list; values are appended and referenced by position
     */
    public MetadataFilterSql(String column, List<Object> parameters) {
        this.column = column;
        this.parameters = parameters;
    }

    /** The SQL condition for {@code filter}. */
    public String toSql(Filter filter) {
        return switch (filter) {
            case Filter.And and -> group(and.filters(), " and ");
            case Filter.Or or -> group(or.filters(), " or ");
            case Filter.Condition condition -> condition(condition);
        };
    }

    private String group(List<Filter> filters, String joiner) {
        return filters.stream().map(this::toSql).collect(Collectors.joining(joiner, "(", ")"));
    }

    private String condition(Filter.Condition c) {
        String key = bind(c.key());
        String value = column + " -> " + key;
        String text = column + " ->> " + key;
        return switch (c.type()) {
            // CASE, not AND: PostgreSQL does not promise to evaluate AND left to right, and the cast fails on text.
            // Compared as numeric, which holds any JSON number (float8 would overflow on one beyond 1e308, which a
            // document published straight to Kafka may carry).
            case NUMERIC ->
                "coalesce(case when jsonb_typeof(" + value + ") = 'number' then (" + value + ")::numeric "
                        + c.effectiveOperator().symbol() + " " + bind(c.number()) + "::float8::numeric end, false)";
            case METADATA ->
                negate(
                        c,
                        "(case jsonb_typeof(" + value + ")"
                                + " when 'number' then " + fold(c, "trim_scale((" + text + ")::numeric)::text")
                                + " when 'string' then " + fold(c, text)
                                + " when 'boolean' then " + fold(c, text)
                                + " end) = " + fold(c, bind(c.value())));
            case ARRAY_CONTAINS ->
                negate(
                        c,
                        "(jsonb_typeof(" + value + ") = 'array' and exists (select 1 from jsonb_array_elements_text("
                                + value + ") as element(v) where " + fold(c, "element.v") + " = "
                                + fold(c, bind(c.value()))
                                + "))");
            case STRING_CONTAINS ->
                negate(
                        c,
                        "(jsonb_typeof(" + value + ") = 'string' and strpos(" + fold(c, text) + ", "
                                + fold(c, bind(c.value())) + ") > 0)");
        };
    }

    private static String negate(Filter.Condition c, String sql) {
        return c.negate() ? "(not coalesce(" + sql + ", false))" : "coalesce(" + sql + ", false)";
    }

    private static String fold(Filter.Condition c, String sql) {
        return c.ignoreCase() ? "lower(" + sql + ")" : sql;
    }

    private String bind(Object value) {
        parameters.add(value);
        return "$" + parameters.size();
    }
}

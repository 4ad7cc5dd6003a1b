package dev.engram.core.filters;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Translates a {@link Filter} into a PostgreSQL condition on a {@code jsonb} metadata column, with the same meaning
 * as {@link Filter#matches}. Keys and values are always bind parameters, appended to the parameter list in the order
 * they appear in the text (each use binds again, so positional {@code ?} and numbered {@code $n} placeholders both
 * work); only operators chosen from enums are written into the SQL, so no input ever becomes SQL.
 */
public final class MetadataFilterSql {

    /** How bind parameters are written. */
    public enum Placeholders {
        /** JDBC: {@code ?}. */
        POSITIONAL,
        /** The Vert.x PostgreSQL client: {@code $1, $2, …}, numbered by position in the parameter list. */
        NUMBERED
    }

    private final String column;
    private final List<Object> parameters;
    private final Placeholders placeholders;

    /**
     * @param column the jsonb column, e.g. {@code m.metadata} (code-supplied, never input)
     * @param parameters the query's parameters so far; this filter's are appended
     * @param placeholders how the query writes its bind parameters
     */
    public MetadataFilterSql(String column, List<Object> parameters, Placeholders placeholders) {
        this.column = column;
        this.parameters = parameters;
        this.placeholders = placeholders;
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
        // Collectors.joining maps the elements in order, so the parameters follow the text.
        return filters.stream().map(this::toSql).collect(Collectors.joining(joiner, "(", ")"));
    }

    // Every operand below is concatenated left to right, so each bind() happens in the order its '?' appears.
    private String condition(Filter.Condition c) {
        return switch (c.type()) {
            // CASE, not AND: PostgreSQL does not promise to evaluate AND left to right, and the cast fails on text.
            // Compared as numeric, which holds any JSON number.
            case NUMERIC ->
                "coalesce(case when jsonb_typeof(" + value(c) + ") = 'number' then (" + value(c) + ")::numeric "
                        + c.effectiveOperator().symbol() + " " + bind(c.number()) + "::float8::numeric end, false)";
            case METADATA ->
                negate(
                        c,
                        "(case jsonb_typeof(" + value(c) + ")"
                                + " when 'number' then " + fold(c, "trim_scale((" + text(c) + ")::numeric)::text")
                                + " when 'string' then " + fold(c, text(c))
                                + " when 'boolean' then " + fold(c, text(c))
                                + " end) = " + fold(c, bind(c.value()) + "::text"));
            case ARRAY_CONTAINS ->
                negate(
                        c,
                        "(jsonb_typeof(" + value(c) + ") = 'array' and exists (select 1 from jsonb_array_elements_text("
                                + value(c) + ") as element(v) where " + fold(c, "element.v") + " = "
                                + fold(c, bind(c.value()) + "::text") + "))");
            case STRING_CONTAINS ->
                negate(
                        c,
                        "(jsonb_typeof(" + value(c) + ") = 'string' and strpos(" + fold(c, text(c)) + ", "
                                + fold(c, bind(c.value()) + "::text") + ") > 0)");
        };
    }

    /** {@code column -> key}: the JSON value. */
    private String value(Filter.Condition c) {
        return "(" + column + " -> " + bind(c.key()) + "::text)";
    }

    /** {@code column ->> key}: the value as text. */
    private String text(Filter.Condition c) {
        return "(" + column + " ->> " + bind(c.key()) + "::text)";
    }

    private static String negate(Filter.Condition c, String sql) {
        return c.negate() ? "(not coalesce(" + sql + ", false))" : "coalesce(" + sql + ", false)";
    }

    private static String fold(Filter.Condition c, String sql) {
        return c.ignoreCase() ? "lower(" + sql + ")" : sql;
    }

    private String bind(Object value) {
        parameters.add(value);
        return placeholders == Placeholders.POSITIONAL ? "?" : "$" + parameters.size();
    }
}

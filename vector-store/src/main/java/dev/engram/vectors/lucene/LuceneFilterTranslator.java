package dev.engram.vectors.lucene;

import dev.engram.core.filters.Filter;
import dev.engram.core.filters.FilterType;
import dev.engram.core.filters.NumericOperator;
import dev.engram.vectors.CaseFolding;
import java.util.List;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.AutomatonQuery;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Translates a {@link Filter} into a Lucene query over the fields of {@link LuceneFields}, with the semantics of
 * {@link Filter#matches}: each condition is one term, substring-automaton or point-range lookup; a negated
 * {@code metadata}, {@code array_contains} or {@code string_contains} condition is a logical NOT (so a point without
 * the key matches it); a negated {@code numeric} condition uses the flipped operator (so a point without a number
 * never matches).
 */
final class LuceneFilterTranslator {

    private LuceneFilterTranslator() {}

    /** The query matching exactly the documents whose metadata {@code filter} accepts. */
    static Query translate(Filter filter) {
        return switch (filter) {
            case Filter.And and -> group(and.filters(), Occur.FILTER);
            case Filter.Or or -> group(or.filters(), Occur.SHOULD);
            case Filter.Condition condition -> condition(condition);
        };
    }

    private static Query group(List<Filter> children, Occur occur) {
        if (children.isEmpty()) {
            // allMatch of nothing is true, anyMatch of nothing is false
            return occur == Occur.FILTER ? new MatchAllDocsQuery() : new MatchNoDocsQuery("empty OR");
        }
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        for (Filter child : children) {
            builder.add(translate(child), occur);
        }
        if (occur == Occur.SHOULD) {
            builder.setMinimumNumberShouldMatch(1);
        }
        return builder.build();
    }

    private static Query condition(Filter.Condition c) {
        String key = c.key();
        Query positive = switch (c.type()) {
            case NUMERIC -> numeric(LuceneFields.number(key), c.effectiveOperator(), c.number());
            case METADATA ->
                c.ignoreCase()
                        ? term(LuceneFields.scalarFolded(key), CaseFolding.fold(c.value()))
                        : term(LuceneFields.scalar(key), c.value());
            case ARRAY_CONTAINS ->
                c.ignoreCase()
                        ? term(LuceneFields.elementFolded(key), CaseFolding.fold(c.value()))
                        : term(LuceneFields.element(key), c.value());
            case STRING_CONTAINS ->
                c.ignoreCase()
                        ? substring(LuceneFields.textLower(key), CaseFolding.lower(c.value()))
                        : substring(LuceneFields.text(key), c.value());
        };
        // numeric negation is already in the effective operator
        return c.negate() && c.type() != FilterType.NUMERIC ? not(positive) : positive;
    }

    private static Query term(String field, String value) {
        return new TermQuery(new Term(field, value));
    }

    /** Terms of {@code field} containing {@code value} anywhere (the empty value matches every term). */
    private static Query substring(String field, String value) {
        return new AutomatonQuery(new Term(field, value), SubstringAutomaton.containing(value));
    }

    private static Query not(Query query) {
        return new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), Occur.FILTER)
                .add(query, Occur.MUST_NOT)
                .build();
    }

    /**
     * {@code value <op> number} over indexed doubles. {@code -0.0} is indexed as {@code 0.0} (the reference compares
     * with {@code ==}), and strict bounds become inclusive bounds one ulp inside.
     */
    static Query numeric(String field, NumericOperator op, double number) {
        if (Double.isNaN(number)) {
            // every comparison with NaN is false, except "!="
            return op == NumericOperator.NE ? anyNumber(field) : new MatchNoDocsQuery("comparison with NaN");
        }
        double x = number + 0.0;
        if ((op == NumericOperator.GT && x == Double.POSITIVE_INFINITY)
                || (op == NumericOperator.LT && x == Double.NEGATIVE_INFINITY)) {
            return new MatchNoDocsQuery("nothing lies beyond infinity");
        }
        return switch (op) {
            case GT -> DoublePoint.newRangeQuery(field, Math.nextUp(x), Double.POSITIVE_INFINITY);
            case GTE -> DoublePoint.newRangeQuery(field, x, Double.POSITIVE_INFINITY);
            case LT -> DoublePoint.newRangeQuery(field, Double.NEGATIVE_INFINITY, Math.nextDown(x));
            case LTE -> DoublePoint.newRangeQuery(field, Double.NEGATIVE_INFINITY, x);
            case EQ -> DoublePoint.newExactQuery(field, x);
            case NE ->
                new BooleanQuery.Builder()
                        .add(numeric(field, NumericOperator.LT, x), Occur.SHOULD)
                        .add(numeric(field, NumericOperator.GT, x), Occur.SHOULD)
                        .setMinimumNumberShouldMatch(1)
                        .build();
        };
    }

    private static Query anyNumber(String field) {
        return DoublePoint.newRangeQuery(field, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }
}

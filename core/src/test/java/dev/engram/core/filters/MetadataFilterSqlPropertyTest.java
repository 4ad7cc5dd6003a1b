package dev.engram.core.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the SQL translation over generated filters with hostile keys and values: the SQL text depends only
 * on the filter's shape and operators, never on its keys or values, which all travel as bind parameters.
 */
class MetadataFilterSqlPropertyTest {

    private static final Pattern NUMBERED = Pattern.compile("\\$(\\d+)");

    @Property(tries = 500)
    void theSqlTextIsTheSameWhateverTheKeysAndValues(@ForAll("hostileFilters") FilterSpecs.Group filter) {
        Filter parsed = FilterParser.parse(filter.json(), "filters");
        Filter blanked = blank(parsed);

        for (var placeholders : MetadataFilterSql.Placeholders.values()) {
            String sql = new MetadataFilterSql("d.metadata", new ArrayList<>(), placeholders).toSql(parsed);
            String blankSql = new MetadataFilterSql("d.metadata", new ArrayList<>(), placeholders).toSql(blanked);

            // so no key or value can be in the text (beyond what the fixed text holds anyway, like "::text")
            assertThat(sql).isEqualTo(blankSql);
            assertThat(sql).doesNotContain("drop table", "OR 1=1", "*:*", "$.a");
        }
    }

    @Property(tries = 500)
    void everyKeyAndValueIsABindParameterNumberedInOrder(
            @ForAll("hostileFilters") FilterSpecs.Group filter, @ForAll @IntRange(max = 5) int earlierParameters) {
        Filter parsed = FilterParser.parse(filter.json(), "filters");
        List<Object> parameters = new ArrayList<>();
        for (int i = 0; i < earlierParameters; i++) {
            parameters.add("earlier" + i);
        }

        String sql =
                new MetadataFilterSql("d.metadata", parameters, MetadataFilterSql.Placeholders.NUMBERED).toSql(parsed);

        List<Object> added = parameters.subList(earlierParameters, parameters.size());
        for (FilterSpecs.Cond condition : FilterSpecs.conditionsOf(filter)) {
            assertThat(added).contains(condition.key());
            if (condition.type() == FilterType.NUMERIC) {
                assertThat(added).contains(Double.parseDouble(condition.value().trim()));
            } else {
                assertThat(added).contains(condition.value());
            }
        }
        // placeholders number the new parameters in order, each at least once, and none beyond them
        Matcher numbers = NUMBERED.matcher(sql);
        List<Integer> seen = new ArrayList<>();
        while (numbers.find()) {
            seen.add(Integer.parseInt(numbers.group(1)));
        }
        assertThat(seen).isSorted();
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).hasSize(added.size());
        assertThat(seen.get(0)).isEqualTo(earlierParameters + 1);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(parameters.size());
    }

    @Property(tries = 300)
    void positionalPlaceholdersMatchTheParametersOneForOne(@ForAll("hostileFilters") FilterSpecs.Group filter) {
        List<Object> parameters = new ArrayList<>();

        String sql = new MetadataFilterSql("m.metadata", parameters, MetadataFilterSql.Placeholders.POSITIONAL)
                .toSql(FilterParser.parse(filter.json(), "filters"));

        assertThat(sql.chars().filter(c -> c == '?').count()).isEqualTo(parameters.size());
    }

    /** The same filter with every key and value replaced by a constant: what only the shape decides. */
    private static Filter blank(Filter filter) {
        return switch (filter) {
            case Filter.And and ->
                new Filter.And(and.filters().stream()
                        .map(MetadataFilterSqlPropertyTest::blank)
                        .toList());
            case Filter.Or or ->
                new Filter.Or(or.filters().stream()
                        .map(MetadataFilterSqlPropertyTest::blank)
                        .toList());
            case Filter.Condition c ->
                new Filter.Condition("k", "v", c.type(), c.ignoreCase(), c.negate(), c.operator(), 0);
        };
    }

    @Provide
    Arbitrary<FilterSpecs.Group> hostileFilters() {
        return FilterSpecs.filters(HostileText.valid().filter(s -> !s.isEmpty()), HostileText.valid());
    }
}

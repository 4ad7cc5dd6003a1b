package dev.engram.core.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetadataFilterSqlTest {

    private static final Filter FILTER = FilterParser.parse(
            Map.of(
                    "OR",
                    List.of(
                            Map.of("key", "team", "value", "blue'; drop table x; --"),
                            Map.of("key", "score", "value", "3", "filterType", "numeric", "numericOperator", ">="),
                            Map.of("key", "tags", "value", "a", "filterType", "array_contains"))),
            "filters");

    @Test
    void numberedPlaceholdersNameEveryParameterInOrder() {
        List<Object> parameters = new ArrayList<>(List.of("tag"));

        String sql =
                new MetadataFilterSql("d.metadata", parameters, MetadataFilterSql.Placeholders.NUMBERED).toSql(FILTER);

        Matcher numbers = Pattern.compile("\\$(\\d+)").matcher(sql);
        List<Integer> seen = new ArrayList<>();
        while (numbers.find()) {
            seen.add(Integer.parseInt(numbers.group(1)));
        }
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(0)).isEqualTo(2);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(parameters.size());
        assertThat(sql).doesNotContain("drop table").doesNotContain("?");
    }

    @Test
    void positionalPlaceholdersMatchTheParameterCount() {
        List<Object> parameters = new ArrayList<>();

        String sql = new MetadataFilterSql("m.metadata", parameters, MetadataFilterSql.Placeholders.POSITIONAL)
                .toSql(FILTER);

        assertThat(sql.chars().filter(c -> c == '?').count()).isEqualTo(parameters.size());
        assertThat(parameters).contains("team", "blue'; drop table x; --");
        assertThat(sql).doesNotContain("drop table").doesNotContain("$");
    }
}

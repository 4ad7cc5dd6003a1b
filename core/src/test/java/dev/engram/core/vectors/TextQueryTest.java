package dev.engram.core.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.core.filters.FilterParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextQueryTest {

    @Test
    void ofCopiesTheWholeScopeOfADenseQuery() {
        VectorQuery dense = new VectorQuery(
                "org",
                List.of("t1", "t2"),
                new float[] {1, 0},
                25,
                FilterParser.parse((Object) "{\"AND\":[{\"key\":\"k\",\"value\":\"v\"}]}", "filters"),
                List.of("d1"),
                List.of(new AttributeCondition.Equals("isLatest", true)));

        TextQuery text = TextQuery.of(dense, "coffee");

        assertThat(text)
                .isEqualTo(new TextQuery(
                        "org", List.of("t1", "t2"), "coffee", 25, dense.filter(), List.of("d1"), dense.conditions()));
    }

    @Test
    void nullListsMeanEmptyAndTheListsAreCopies() {
        List<String> tags = new ArrayList<>(List.of("t"));
        TextQuery query = new TextQuery("org", tags, "x", 1, null, null, null);
        tags.add("u");

        assertThat(query.containerTags()).containsExactly("t");
        assertThat(query.documentIds()).isEmpty();
        assertThat(query.conditions()).isEmpty();
    }

    @Test
    void aQueryWithoutOrganisationTextOrAValidLimitIsRejected() {
        assertThatThrownBy(() -> new TextQuery(null, List.of(), "x", 10, null, List.of(), List.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("orgId");
        assertThatThrownBy(() -> new TextQuery("org", List.of(), null, 10, null, List.of(), List.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("text");
        assertThatThrownBy(() -> new TextQuery("org", List.of(), " \t\n", 10, null, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> new TextQuery("org", List.of(), "x", 0, null, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> new TextQuery("org", List.of(), "x", 1001, null, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }
}

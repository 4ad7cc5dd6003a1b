package dev.engram.core.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference semantics of attribute conditions and their place in {@link VectorQuery}. */
class AttributeConditionTest {

    @Test
    void equalsHoldsOnlyForThatBooleanValue() {
        AttributeCondition latest = new AttributeCondition.Equals("isLatest", true);

        assertThat(latest.matches(Map.of("isLatest", true))).isTrue();
        assertThat(latest.matches(Map.of("isLatest", false))).isFalse();
        assertThat(latest.matches(Map.of("isLatest", "true"))).isFalse();
        assertThat(latest.matches(Map.of())).isFalse();
        assertThat(new AttributeCondition.Equals("isForgotten", false).matches(Map.of("isForgotten", false)))
                .isTrue();
    }

    @Test
    void notExpiredHoldsWhenTheAttributeIsAbsentOrANumberAfterNow() {
        AttributeCondition notExpired = new AttributeCondition.NotExpired("forgetAfter", 1000L);

        assertThat(notExpired.matches(Map.of())).isTrue();
        assertThat(notExpired.matches(Map.of("forgetAfter", 1001L))).isTrue();
        assertThat(notExpired.matches(Map.of("forgetAfter", 1000.5))).isTrue();
        assertThat(notExpired.matches(Map.of("forgetAfter", 1000L))).isFalse();
        assertThat(notExpired.matches(Map.of("forgetAfter", 3L))).isFalse();
        assertThat(notExpired.matches(Map.of("forgetAfter", "2999-01-01T00:00:00Z")))
                .isFalse();
    }

    @Test
    void keysMustBePlainIdentifiers() {
        assertThatThrownBy(() -> new AttributeCondition.Equals("a.b", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a.b");
        assertThatThrownBy(() -> new AttributeCondition.NotExpired("", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AttributeCondition.Equals(null, true)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theSixArgumentQueryHasNoConditionsAndWithConditionsAddsThem() {
        VectorQuery plain = new VectorQuery("org", List.of("t"), new float[] {1}, 5, null, List.of());
        AttributeCondition latest = new AttributeCondition.Equals("isLatest", true);

        assertThat(plain.conditions()).isEmpty();
        VectorQuery conditioned = plain.withConditions(List.of(latest));
        assertThat(conditioned.conditions()).containsExactly(latest);
        assertThat(conditioned.orgId()).isEqualTo("org");
        assertThat(conditioned.limit()).isEqualTo(5);
        assertThat(new VectorQuery("org", null, new float[] {1}, 5, null, null, null).conditions())
                .isEmpty();
    }
}

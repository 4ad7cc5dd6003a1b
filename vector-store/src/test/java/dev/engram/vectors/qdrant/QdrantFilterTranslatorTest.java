package dev.engram.vectors.qdrant;

import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.isEmpty;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.matchText;
import static io.qdrant.client.ConditionFactory.range;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.filters.Filter;
import dev.engram.core.filters.FilterParser;
import dev.engram.core.vectors.AttributeCondition;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.vectors.contract.FilterFixtures;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Translation of scopes and filters to Qdrant filters, checked without a server. */
class QdrantFilterTranslatorTest {

    @Test
    void theScopeRequiresTheOrganisationAndAnyOfTheTagsAndDocuments() {
        VectorQuery query = new VectorQuery("org", List.of("t1", "t2"), new float[] {1}, 5, null, List.of("d1"));

        Common.Filter scope = QdrantFilterTranslator.scope(query);

        assertThat(scope.getMustList())
                .containsExactly(
                        matchKeyword("org_id", "org"),
                        matchKeywords("container_tag", List.of("t1", "t2")),
                        matchKeyword("document_id", "d1"));
        assertThat(scope.getShouldList()).isEmpty();
        assertThat(scope.getMustNotList()).isEmpty();
    }

    @Test
    void aNegatedEqualityBecomesMustNotOnTheCanonicalKeyword() {
        Condition translated = translate("{\"AND\":[{\"key\":\"color\",\"value\":\"red\",\"negate\":true}]}");

        assertThat(translated).isEqualTo(and(not(matchKeyword("mx.color.eq", "red"))));
    }

    @Test
    void ignoreCaseConditionsMatchTheFoldedOrLowerCasedCopies() {
        assertThat(translate("{\"AND\":[{\"key\":\"tags\",\"value\":\"NEWS\",\"filterType\":\"array_contains\","
                        + "\"ignoreCase\":true}]}"))
                .isEqualTo(and(matchKeyword("mx.tags.arri", "news")));
        assertThat(translate("{\"AND\":[{\"key\":\"title\",\"value\":\"Hello\",\"filterType\":\"string_contains\","
                        + "\"ignoreCase\":true}]}"))
                .isEqualTo(and(matchText("mx.title.stri", "hello")));
    }

    @Test
    void aNegatedNumericConditionFlipsTheOperatorInsteadOfUsingMustNot() {
        assertThat(translate("{\"AND\":[{\"key\":\"n\",\"value\":\"3\",\"filterType\":\"numeric\","
                        + "\"numericOperator\":\">\",\"negate\":true}]}"))
                .isEqualTo(and(range("mx.n.num", Range.newBuilder().setLte(3).build())));
        assertThat(translate("{\"AND\":[{\"key\":\"n\",\"value\":\"3\",\"filterType\":\"numeric\",\"negate\":true}]}"))
                .isEqualTo(and(filter(Common.Filter.newBuilder()
                        .addShould(range("mx.n.num", Range.newBuilder().setLt(3).build()))
                        .addShould(range("mx.n.num", Range.newBuilder().setGt(3).build()))
                        .build())));
    }

    @Test
    void orGroupsBecomeShouldAndKeysAreEncodedAsSafePathSegments() {
        Condition translated =
                translate("{\"OR\":[{\"key\":\"user_id\",\"value\":\"u1\"}," + "{\"key\":\"a.b c\",\"value\":\"x\"}]}");

        assertThat(translated)
                .isEqualTo(filter(Common.Filter.newBuilder()
                        .addShould(matchKeyword("mx.user_5Fid.eq", "u1"))
                        .addShould(matchKeyword("mx.a_2Eb_20c.eq", "x"))
                        .build()));
    }

    @Test
    void randomNestedFiltersOverTheStoredPayloadsSelectExactlyWhatTheReferenceAccepts() {
        Random random = new Random(42);
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String org = i % 10 == 0 ? "other" : "org";
            String tag = i % 7 == 0 ? "t2" : "t1";
            points.add(new VectorPoint(
                    "p" + i, org, tag, "d", new float[] {1}, "x", FilterFixtures.randomMetadata(random), Map.of()));
        }
        List<Map<String, Value>> payloads =
                points.stream().map(QdrantPayloads::toPayload).toList();

        int selective = 0;
        for (int round = 0; round < 1000; round++) {
            Filter filter = FilterFixtures.randomFilter(random);
            Common.Filter translated = QdrantFilterTranslator.scope(
                    new VectorQuery("org", List.of("t1"), new float[] {1}, 10, filter, List.of()));
            Set<String> expected = new TreeSet<>();
            Set<String> actual = new TreeSet<>();
            for (int i = 0; i < points.size(); i++) {
                VectorPoint point = points.get(i);
                if (point.orgId().equals("org")
                        && point.containerTag().equals("t1")
                        && filter.matches(point.metadata())) {
                    expected.add(point.id());
                }
                if (QdrantFilterModel.matches(translated, payloads.get(i))) {
                    actual.add(point.id());
                }
            }
            assertThat(actual).as("round %d, filter %s", round, filter).isEqualTo(expected);
            selective += expected.isEmpty() || expected.size() > 150 ? 0 : 1;
        }
        assertThat(selective).isGreaterThan(250);
    }

    @Test
    void attributeConditionsBecomeBoolMatchesAndIsEmptyOrARangeAboveNow() {
        VectorQuery query = new VectorQuery(
                "org",
                List.of(),
                new float[] {1},
                5,
                null,
                List.of(),
                List.of(
                        new AttributeCondition.Equals("isLatest", true),
                        new AttributeCondition.NotExpired("forgetAfter", 1000L)));

        assertThat(QdrantFilterTranslator.scope(query).getMustList())
                .containsExactly(
                        matchKeyword("org_id", "org"),
                        match("attributes.isLatest", true),
                        filter(Common.Filter.newBuilder()
                                .addShould(isEmpty("attributes.forgetAfter"))
                                .addShould(range(
                                        "attributes.forgetAfter",
                                        Range.newBuilder().setGt(1000).build()))
                                .build()));
    }

    @Test
    void attributeConditionsOverTheStoredPayloadsSelectExactlyWhatTheReferenceAccepts() {
        List<Object> flags = Arrays.asList(true, false, "true", 1L, null);
        List<Object> expiries = Arrays.asList(null, 999L, 1000L, 1001L, 1000.5, 0L, "later", Long.MAX_VALUE);
        List<VectorPoint> points = new ArrayList<>();
        for (Object latest : flags) {
            for (Object forgotten : flags) {
                for (Object forgetAfter : expiries) {
                    Map<String, Object> attributes = new HashMap<>();
                    if (latest != null) {
                        attributes.put("isLatest", latest);
                    }
                    if (forgotten != null) {
                        attributes.put("isForgotten", forgotten);
                    }
                    if (forgetAfter != null) {
                        attributes.put("forgetAfter", forgetAfter);
                    }
                    points.add(new VectorPoint(
                            "p" + points.size(), "org", "t", "d", new float[] {1}, "x", Map.of(), attributes));
                }
            }
        }
        List<List<AttributeCondition>> queries = List.of(
                List.of(new AttributeCondition.Equals("isLatest", true)),
                List.of(new AttributeCondition.Equals("isForgotten", false)),
                List.of(new AttributeCondition.NotExpired("forgetAfter", 1000L)),
                List.of(
                        new AttributeCondition.Equals("isLatest", true),
                        new AttributeCondition.Equals("isForgotten", false),
                        new AttributeCondition.NotExpired("forgetAfter", 1000L)));

        for (List<AttributeCondition> conditions : queries) {
            Common.Filter translated = QdrantFilterTranslator.scope(
                    new VectorQuery("org", List.of("t"), new float[] {1}, 10, null, List.of(), conditions));
            Set<String> expected = new TreeSet<>();
            Set<String> actual = new TreeSet<>();
            for (VectorPoint point : points) {
                if (conditions.stream().allMatch(c -> c.matches(point.attributes()))) {
                    expected.add(point.id());
                }
                if (QdrantFilterModel.matches(translated, QdrantPayloads.toPayload(point))) {
                    actual.add(point.id());
                }
            }
            assertThat(actual).as("%s", conditions).isEqualTo(expected).isNotEmpty();
            assertThat(actual.size()).as("%s", conditions).isLessThan(points.size());
        }
    }

    @Test
    void emptyGroupsKeepTheirReferenceMeaning() {
        Map<String, Value> payload = QdrantPayloads.toPayload(
                new VectorPoint("p", "org", "t", "d", new float[] {1}, "x", Map.of("k", "v"), Map.of()));

        Common.Filter all = wrap(QdrantFilterTranslator.translate(new Filter.And(List.of())));
        Common.Filter none = wrap(QdrantFilterTranslator.translate(new Filter.Or(List.of())));

        assertThat(QdrantFilterModel.matches(all, payload)).isTrue();
        assertThat(QdrantFilterModel.matches(none, payload)).isFalse();
    }

    @Test
    void keyEncodingIsInjectiveOverTrickyKeys() {
        List<String> keys = List.of("a", "A", "a_", "a_5F", "a.b", "a_2Eb", "a b", "", "_", "ü", "__", "a-b", "x\"y");
        Set<String> encoded = keys.stream().map(QdrantFields::encodeKey).collect(Collectors.toSet());

        assertThat(encoded).hasSameSizeAs(keys);
        assertThat(encoded).allSatisfy(segment -> assertThat(segment).matches("[A-Za-z0-9_]+"));
    }

    private static Condition translate(String json) {
        return QdrantFilterTranslator.translate(FilterParser.parse((Object) json, "filters"));
    }

    private static Condition and(Condition... conditions) {
        return filter(Common.Filter.newBuilder().addAllMust(List.of(conditions)).build());
    }

    private static Condition not(Condition condition) {
        return filter(Common.Filter.newBuilder().addMustNot(condition).build());
    }

    private static Common.Filter wrap(Condition condition) {
        return Common.Filter.newBuilder().addMust(condition).build();
    }
}

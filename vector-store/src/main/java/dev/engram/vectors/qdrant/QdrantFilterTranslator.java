package dev.engram.vectors.qdrant;

import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.isEmpty;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.matchText;
import static io.qdrant.client.ConditionFactory.range;

import dev.engram.core.filters.Filter;
import dev.engram.core.filters.FilterType;
import dev.engram.core.filters.NumericOperator;
import dev.engram.core.vectors.AttributeCondition;
import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.vectors.CaseFolding;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Range;
import java.util.List;

/**
 * Translates scopes and {@link Filter}s into Qdrant filters over the payload of {@link QdrantPayloads}, with the
 * semantics of {@link Filter#matches}:
 *
 * <ul>
 *   <li>AND &rarr; {@code must}, OR &rarr; {@code should}, a negated {@code metadata}, {@code array_contains} or
 *       {@code string_contains} condition &rarr; {@code must_not} (so a point without the key matches it);
 *   <li>{@code metadata} and {@code array_contains} &rarr; keyword match on the canonical (or case-folded) texts;
 *   <li>{@code string_contains} &rarr; Qdrant's text match on a field that has no full-text index, which Qdrant
 *       evaluates as an exact substring test of a string value; {@code ignoreCase} matches lower-cased copies;
 *   <li>{@code numeric} &rarr; a range on the stored double, with the operator already flipped by {@code negate};
 *       {@code !=} is {@code < x OR > x}, so a point without a number never matches.
 * </ul>
 *
 * {@link AttributeCondition}s test the stored {@code attributes} object directly: {@code Equals} &rarr; a bool match,
 * {@code NotExpired} &rarr; {@code is_empty} OR a range above now.
 */
final class QdrantFilterTranslator {

    private QdrantFilterTranslator() {}

    /** Points of the query's organisation, tags and documents that its filter and conditions accept. */
    static Common.Filter scope(VectorQuery query) {
        return scope(query.orgId(), query.containerTags(), query.documentIds(), query.filter(), query.conditions());
    }

    /** Points of the query's organisation, tags and documents that its filter and conditions accept. */
    static Common.Filter scope(TextQuery query) {
        return scope(query.orgId(), query.containerTags(), query.documentIds(), query.filter(), query.conditions());
    }

    private static Common.Filter scope(
            String orgId,
            List<String> containerTags,
            List<String> documentIds,
            Filter filter,
            List<AttributeCondition> conditions) {
        Common.Filter.Builder scope = Common.Filter.newBuilder().addMust(matchKeyword(QdrantFields.ORG_ID, orgId));
        if (!containerTags.isEmpty()) {
            scope.addMust(anyOf(QdrantFields.CONTAINER_TAG, containerTags));
        }
        if (!documentIds.isEmpty()) {
            scope.addMust(anyOf(QdrantFields.DOCUMENT_ID, documentIds));
        }
        if (filter != null) {
            scope.addMust(translate(filter));
        }
        conditions.forEach(condition -> scope.addMust(attribute(condition)));
        return scope.build();
    }

    /**
     * The condition holding for the points whose attributes meet {@code condition}. {@code is_empty} also holds for
     * a null or empty-list value (and non-finite numbers are stored as null), which the reference counts as present
     * and not a future instant; writers store expiry instants as integers, so the difference does not arise.
     */
    static Condition attribute(AttributeCondition condition) {
        String path = QdrantFields.attributePath(condition.key());
        return switch (condition) {
            case AttributeCondition.Equals equals -> match(path, equals.value());
            case AttributeCondition.NotExpired notExpired ->
                filter(Common.Filter.newBuilder()
                        .addShould(isEmpty(path))
                        .addShould(range(
                                path,
                                Range.newBuilder()
                                        .setGt((double) notExpired.nowEpochMs())
                                        .build()))
                        .build());
        };
    }

    /** Every point of one organisation. */
    static Common.Filter organisation(String orgId) {
        return Common.Filter.newBuilder()
                .addMust(matchKeyword(QdrantFields.ORG_ID, orgId))
                .build();
    }

    /** Every point of one document of one organisation. */
    static Common.Filter document(String orgId, String documentId) {
        return Common.Filter.newBuilder()
                .addMust(matchKeyword(QdrantFields.ORG_ID, orgId))
                .addMust(matchKeyword(QdrantFields.DOCUMENT_ID, documentId))
                .build();
    }

    /** The condition holding exactly for the points whose metadata {@code filter} accepts. */
    static Condition translate(Filter filter) {
        return switch (filter) {
            case Filter.And and -> {
                var group = Common.Filter.newBuilder();
                and.filters().forEach(child -> group.addMust(translate(child)));
                yield filter(group.build()); // an empty must holds for every point, as allMatch of nothing
            }
            case Filter.Or or -> {
                if (or.filters().isEmpty()) {
                    yield nothing(); // Qdrant ignores an empty should; anyMatch of nothing is false
                }
                var group = Common.Filter.newBuilder();
                or.filters().forEach(child -> group.addShould(translate(child)));
                yield filter(group.build());
            }
            case Filter.Condition condition -> condition(condition);
        };
    }

    private static Condition condition(Filter.Condition c) {
        if (c.type() == FilterType.NUMERIC) {
            return numeric(QdrantFields.path(c.key(), QdrantFields.NUMBER), c.effectiveOperator(), c.number());
        }
        Condition positive = switch (c.type()) {
            case METADATA ->
                c.ignoreCase()
                        ? matchKeyword(
                                QdrantFields.path(c.key(), QdrantFields.SCALAR_FOLDED), CaseFolding.fold(c.value()))
                        : matchKeyword(QdrantFields.path(c.key(), QdrantFields.SCALAR), c.value());
            case ARRAY_CONTAINS ->
                c.ignoreCase()
                        ? matchKeyword(
                                QdrantFields.path(c.key(), QdrantFields.ELEMENTS_FOLDED), CaseFolding.fold(c.value()))
                        : matchKeyword(QdrantFields.path(c.key(), QdrantFields.ELEMENTS), c.value());
            case STRING_CONTAINS ->
                c.ignoreCase()
                        ? contains(QdrantFields.path(c.key(), QdrantFields.TEXT_LOWER), CaseFolding.lower(c.value()))
                        : contains(QdrantFields.path(c.key(), QdrantFields.TEXT_VALUE), c.value());
            case NUMERIC -> throw new AssertionError("handled above");
        };
        return c.negate() ? not(positive) : positive;
    }

    /** The string at {@code path} contains {@code text}; the empty text is contained in every string. */
    private static Condition contains(String path, String text) {
        return text.isEmpty() ? not(isEmpty(path)) : matchText(path, text);
    }

    /** {@code value <op> number} for a number stored at {@code path}. */
    static Condition numeric(String path, NumericOperator op, double number) {
        if (Double.isNaN(number)) {
            // every comparison with NaN is false, except "!=" (true for any number: an unbounded range)
            return op == NumericOperator.NE ? range(path, Range.getDefaultInstance()) : nothing();
        }
        return switch (op) {
            case GT -> range(path, Range.newBuilder().setGt(number).build());
            case GTE -> range(path, Range.newBuilder().setGte(number).build());
            case LT -> range(path, Range.newBuilder().setLt(number).build());
            case LTE -> range(path, Range.newBuilder().setLte(number).build());
            case EQ ->
                range(path, Range.newBuilder().setGte(number).setLte(number).build());
            case NE ->
                filter(Common.Filter.newBuilder()
                        .addShould(numeric(path, NumericOperator.LT, number))
                        .addShould(numeric(path, NumericOperator.GT, number))
                        .build());
        };
    }

    private static Condition anyOf(String path, List<String> values) {
        return values.size() == 1 ? matchKeyword(path, values.getFirst()) : matchKeywords(path, values);
    }

    private static Condition not(Condition condition) {
        return filter(Common.Filter.newBuilder().addMustNot(condition).build());
    }

    /** A condition no point meets: NOT of the empty filter, which every point meets. */
    private static Condition nothing() {
        return not(filter(Common.Filter.getDefaultInstance()));
    }
}

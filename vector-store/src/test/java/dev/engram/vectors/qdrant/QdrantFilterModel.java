package dev.engram.vectors.qdrant;

import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test model of how Qdrant evaluates the subset of its filter language the translator emits, as Qdrant documents
 * it: {@code must} all, {@code must_not} none, a non-empty {@code should} at least one; a field condition holds if
 * any value at the path (array elements taken one by one) passes; keyword match on strings by equality; bool match on booleans; text match
 * on an unindexed field as a substring test of strings; ranges on numbers; {@code is_empty} when there is no value
 * but null or empty arrays. Anything else fails loudly, so the translator cannot drift outside the modelled subset.
 */
final class QdrantFilterModel {

    private QdrantFilterModel() {}

    static boolean matches(Common.Filter filter, Map<String, Value> payload) {
        if (filter.hasMinShould()) {
            throw new UnsupportedOperationException("min_should is not modelled");
        }
        for (Condition condition : filter.getMustList()) {
            if (!matches(condition, payload)) {
                return false;
            }
        }
        for (Condition condition : filter.getMustNotList()) {
            if (matches(condition, payload)) {
                return false;
            }
        }
        return filter.getShouldCount() == 0 || filter.getShouldList().stream().anyMatch(c -> matches(c, payload));
    }

    private static boolean matches(Condition condition, Map<String, Value> payload) {
        return switch (condition.getConditionOneOfCase()) {
            case FILTER -> matches(condition.getFilter(), payload);
            case IS_EMPTY ->
                values(payload, condition.getIsEmpty().getKey()).stream()
                        .allMatch(v -> v.getKindCase() == Value.KindCase.NULL_VALUE);
            case FIELD ->
                field(condition.getField(), values(payload, condition.getField().getKey()));
            default -> throw new UnsupportedOperationException("not modelled: " + condition);
        };
    }

    private static boolean field(FieldCondition condition, List<Value> values) {
        if (condition.hasMatch()) {
            Common.Match match = condition.getMatch();
            return switch (match.getMatchValueCase()) {
                case KEYWORD ->
                    values.stream()
                            .anyMatch(v -> isString(v) && v.getStringValue().equals(match.getKeyword()));
                case KEYWORDS ->
                    values.stream()
                            .anyMatch(v -> isString(v)
                                    && match.getKeywords().getStringsList().contains(v.getStringValue()));
                case BOOLEAN ->
                    values.stream()
                            .anyMatch(v -> v.getKindCase() == Value.KindCase.BOOL_VALUE
                                    && v.getBoolValue() == match.getBoolean());
                case TEXT ->
                    values.stream()
                            .anyMatch(v -> isString(v) && v.getStringValue().contains(match.getText()));
                default -> throw new UnsupportedOperationException("not modelled: " + match);
            };
        }
        if (condition.hasRange()) {
            Range range = condition.getRange();
            return values.stream().anyMatch(v -> isNumber(v) && inRange(number(v), range));
        }
        throw new UnsupportedOperationException("not modelled: " + condition);
    }

    private static boolean inRange(double x, Range range) {
        return (!range.hasLt() || x < range.getLt())
                && (!range.hasGt() || x > range.getGt())
                && (!range.hasLte() || x <= range.getLte())
                && (!range.hasGte() || x >= range.getGte());
    }

    /** The values at a dotted path, a final array contributing its elements. */
    private static List<Value> values(Map<String, Value> payload, String path) {
        String[] segments = path.split("\\.", -1);
        Value current = payload.get(segments[0]);
        for (int i = 1; i < segments.length && current != null; i++) {
            current = current.getKindCase() == Value.KindCase.STRUCT_VALUE
                    ? current.getStructValue().getFieldsMap().get(segments[i])
                    : null;
        }
        List<Value> values = new ArrayList<>();
        if (current == null) {
            return values;
        }
        if (current.getKindCase() == Value.KindCase.LIST_VALUE) {
            values.addAll(current.getListValue().getValuesList());
        } else {
            values.add(current);
        }
        return values;
    }

    private static boolean isString(Value value) {
        return value.getKindCase() == Value.KindCase.STRING_VALUE;
    }

    private static boolean isNumber(Value value) {
        return value.getKindCase() == Value.KindCase.DOUBLE_VALUE
                || value.getKindCase() == Value.KindCase.INTEGER_VALUE;
    }

    private static double number(Value value) {
        return value.getKindCase() == Value.KindCase.DOUBLE_VALUE ? value.getDoubleValue() : value.getIntegerValue();
    }
}

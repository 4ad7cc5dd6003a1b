package dev.engram.vectors.qdrant;

import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;

import dev.engram.core.vectors.VectorPoint;
import dev.engram.vectors.CaseFolding;
import dev.engram.vectors.IndexedValue;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts points to Qdrant payloads (layout in {@link QdrantFields}) and payloads back to points. Values map to
 * JSON: integers (up to {@code long}) as integers, other numbers as doubles, non-finite numbers as null (JSON has
 * none), lists, maps, booleans and strings as such, anything else as its {@code toString()}.
 */
final class QdrantPayloads {

    private QdrantPayloads() {}

    /** The payload of {@code point}, with the filterable projections of its metadata. */
    static Map<String, Value> toPayload(VectorPoint point) {
        Map<String, Value> payload = new HashMap<>();
        payload.put(QdrantFields.POINT_ID, value(point.id()));
        payload.put(QdrantFields.ORG_ID, value(point.orgId()));
        payload.put(QdrantFields.CONTAINER_TAG, value(point.containerTag()));
        payload.put(QdrantFields.DOCUMENT_ID, value(point.documentId()));
        payload.put(QdrantFields.TEXT, value(point.text()));
        payload.put(QdrantFields.METADATA, toValue(point.metadata()));
        payload.put(QdrantFields.ATTRIBUTES, toValue(point.attributes()));
        Map<String, Value> index = new HashMap<>();
        for (IndexedValue indexed : IndexedValue.of(point.metadata())) {
            index.put(QdrantFields.encodeKey(indexed.key()), value(projections(indexed)));
        }
        payload.put(QdrantFields.INDEX, value(index));
        return payload;
    }

    /** The point in {@code payload}; its vector is empty (hits do not carry vectors). */
    static VectorPoint toPoint(Map<String, Value> payload) {
        return new VectorPoint(
                text(payload, QdrantFields.POINT_ID),
                text(payload, QdrantFields.ORG_ID),
                text(payload, QdrantFields.CONTAINER_TAG),
                text(payload, QdrantFields.DOCUMENT_ID),
                new float[0],
                text(payload, QdrantFields.TEXT),
                map(payload.get(QdrantFields.METADATA)),
                map(payload.get(QdrantFields.ATTRIBUTES)));
    }

    /** The payload fields present for one metadata value, by projection name. */
    static Map<String, Value> projections(IndexedValue indexed) {
        Map<String, Value> fields = new LinkedHashMap<>();
        if (indexed.scalar() != null) {
            fields.put(QdrantFields.SCALAR, value(indexed.scalar()));
            fields.put(QdrantFields.SCALAR_FOLDED, value(CaseFolding.fold(indexed.scalar())));
        }
        if (!indexed.elements().isEmpty()) {
            fields.put(
                    QdrantFields.ELEMENTS,
                    list(indexed.elements().stream().map(e -> value(e)).toList()));
            fields.put(
                    QdrantFields.ELEMENTS_FOLDED,
                    list(indexed.elements().stream()
                            .map(e -> value(CaseFolding.fold(e)))
                            .toList()));
        }
        if (indexed.text() != null) {
            fields.put(QdrantFields.TEXT_VALUE, value(indexed.text()));
            fields.put(QdrantFields.TEXT_LOWER, value(CaseFolding.lower(indexed.text())));
        }
        if (indexed.number() != null && Double.isFinite(indexed.number())) {
            fields.put(QdrantFields.NUMBER, value(indexed.number()));
        }
        return fields;
    }

    /** A Java value as a Qdrant JSON value. */
    static Value toValue(Object object) {
        return switch (object) {
            case null -> nullValue();
            case String s -> value(s);
            case Boolean b -> value(b);
            case Integer i -> value(i.longValue());
            case Long l -> value(l);
            case Short s -> value(s.longValue());
            case Byte b -> value(b.longValue());
            case BigInteger big when big.bitLength() < 64 -> value(big.longValue());
            case BigDecimal big when isLong(big) -> value(big.longValueExact());
            case Number n -> Double.isFinite(n.doubleValue()) ? value(n.doubleValue()) : nullValue();
            case List<?> items ->
                list(items.stream().map(QdrantPayloads::toValue).toList());
            case Map<?, ?> entries -> {
                Map<String, Value> struct = new HashMap<>();
                entries.forEach((k, v) -> struct.put(String.valueOf(k), toValue(v)));
                yield value(struct);
            }
            default -> value(object.toString());
        };
    }

    /** A Qdrant JSON value as a Java value: Long, Double, Boolean, String, List, Map or null. */
    static Object fromValue(Value value) {
        return switch (value.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> null;
            case DOUBLE_VALUE -> value.getDoubleValue();
            case INTEGER_VALUE -> value.getIntegerValue();
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case LIST_VALUE -> {
                List<Object> items = new ArrayList<>(value.getListValue().getValuesCount());
                value.getListValue().getValuesList().forEach(v -> items.add(fromValue(v)));
                yield items;
            }
            case STRUCT_VALUE -> map(value);
        };
    }

    private static boolean isLong(BigDecimal big) {
        return big.stripTrailingZeros().scale() <= 0 && big.toBigInteger().bitLength() < 64;
    }

    private static String text(Map<String, Value> payload, String key) {
        Value value = payload.get(key);
        if (value == null || value.getKindCase() != Value.KindCase.STRING_VALUE) {
            throw new IllegalStateException("Qdrant point payload lacks the string field " + key);
        }
        return value.getStringValue();
    }

    private static Map<String, Object> map(Value value) {
        if (value == null || value.getKindCase() != Value.KindCase.STRUCT_VALUE) {
            return Map.of();
        }
        Map<String, Object> map = new LinkedHashMap<>();
        value.getStructValue().getFieldsMap().forEach((k, v) -> {
            Object converted = fromValue(v);
            if (converted != null) { // points hold no null values; a non-finite number was stored as null
                map.put(k, converted);
            }
        });
        return map;
    }
}

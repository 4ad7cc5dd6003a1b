package dev.engram.vectors;

import dev.engram.core.filters.FilterValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one metadata value contributes to an index, so that each condition of
 * {@link dev.engram.core.filters.Filter.Condition#matches} becomes an exact lookup:
 *
 * <ul>
 *   <li>{@code metadata}: the value is a scalar (not a list, map or null) whose canonical text equals the condition's
 *       value &rarr; {@link #scalar()};
 *   <li>{@code array_contains}: the value is a list with a scalar element of that canonical text &rarr;
 *       {@link #elements()};
 *   <li>{@code string_contains}: the value is a string containing the text &rarr; {@link #text()};
 *   <li>{@code numeric}: the value is a number other than NaN &rarr; {@link #number()}.
 * </ul>
 *
 * Case-insensitive variants index {@link CaseFolding#fold} of {@code scalar} and {@code elements} and
 * {@link CaseFolding#lower} of {@code text}. A value that fits none of these (a map, null) indexes nothing, so no
 * positive condition matches it and every negated one does, as in the reference.
 *
 * @param key the metadata key
 * @param scalar canonical text of a scalar value, or {@code null}
 * @param elements canonical texts of the scalar elements of a list value (empty otherwise)
 * @param text the value if it is a string, or {@code null}
 * @param number the value as a double if it is a number other than NaN ({@code -0.0} as {@code 0.0}), or {@code null}
 */
public record IndexedValue(String key, String scalar, List<String> elements, String text, Double number) {

    public IndexedValue {
        elements = List.copyOf(elements);
    }

    /** The indexable projection of every key of {@code metadata} that contributes anything. */
    public static List<IndexedValue> of(Map<String, Object> metadata) {
        List<IndexedValue> values = new ArrayList<>(metadata.size());
        metadata.forEach((key, value) -> {
            IndexedValue indexed = of(key, value);
            if (indexed != null) {
                values.add(indexed);
            }
        });
        return values;
    }

    /** The projection of one value, or {@code null} if it contributes nothing. */
    static IndexedValue of(String key, Object value) {
        if (value == null || value instanceof Map<?, ?>) {
            return null;
        }
        if (value instanceof List<?> list) {
            List<String> elements = new ArrayList<>(list.size());
            for (Object element : list) {
                if (isScalar(element)) {
                    elements.add(FilterValues.canonical(element));
                }
            }
            return elements.isEmpty() ? null : new IndexedValue(key, null, elements, null, null);
        }
        Double number = null;
        if (value instanceof Number n && !Double.isNaN(n.doubleValue())) {
            number = n.doubleValue() + 0.0; // -0.0 == 0.0 for the reference, so index them alike
        }
        String text = value instanceof String s ? s : null;
        return new IndexedValue(key, FilterValues.canonical(value), List.of(), text, number);
    }

    private static boolean isScalar(Object value) {
        return value != null && !(value instanceof List<?>) && !(value instanceof Map<?, ?>);
    }
}

package dev.engram.core.filters;

import java.math.BigDecimal;

/** How metadata values compare as text: numbers without a trailing {@code .0}, booleans as {@code true/false}. */
public final class FilterValues {

    private FilterValues() {}

    /** The canonical text of a scalar metadata value. */
    public static String canonical(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            }
        }
        if (value instanceof BigDecimal big) {
            return big.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }
}

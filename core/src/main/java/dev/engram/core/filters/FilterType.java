package dev.engram.core.filters;

/** The kinds of filter condition, by their wire names. */
public enum FilterType {
    /** The value equals (as text). */
    METADATA("metadata"),
    /** The value compares as a number. */
    NUMERIC("numeric"),
    /** The value is a list holding the given element. */
    ARRAY_CONTAINS("array_contains"),
    /** The value is text containing the given substring. */
    STRING_CONTAINS("string_contains");

    private final String wireName;

    FilterType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in requests. */
    public String wireName() {
        return wireName;
    }

    /** The type with this wire name, or {@code null}. */
    static FilterType fromWire(String name) {
        for (FilterType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        return null;
    }
}

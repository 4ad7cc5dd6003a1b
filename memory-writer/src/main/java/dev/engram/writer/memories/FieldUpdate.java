package dev.engram.writer.memories;

import java.util.Objects;

/**
 * What a new version does with one field of the version it updates: keep it, set it, or clear it. (The API's
 * "omitted" / value / {@code null}.)
 *
 * @param <T> the field's type
 */
public sealed interface FieldUpdate<T> {

    /** Keep the previous version's value. */
    @SuppressWarnings("unchecked")
    static <T> FieldUpdate<T> keep() {
        return (FieldUpdate<T>) Keep.INSTANCE;
    }

    /** Set a new value. */
    static <T> FieldUpdate<T> set(T value) {
        return new Replace<>(value);
    }

    /** Clear the value. */
    @SuppressWarnings("unchecked")
    static <T> FieldUpdate<T> clear() {
        return (FieldUpdate<T>) Clear.INSTANCE;
    }

    /** The value after this update of {@code previous}. */
    default T applyTo(T previous) {
        return switch (this) {
            case Keep<T> k -> previous;
            case Replace<T> r -> r.value();
            case Clear<T> c -> null;
        };
    }

    /** Keep the previous value. */
    record Keep<T>() implements FieldUpdate<T> {
        private static final Keep<?> INSTANCE = new Keep<>();
    }

    /** Replace it with {@code value}. */
    record Replace<T>(T value) implements FieldUpdate<T> {
        public Replace {
            Objects.requireNonNull(value, "value (use FieldUpdate.clear() to clear)");
        }
    }

    /** Remove it. */
    record Clear<T>() implements FieldUpdate<T> {
        private static final Clear<?> INSTANCE = new Clear<>();
    }
}

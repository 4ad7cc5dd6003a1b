package dev.engram.core.vectors;

import java.util.Map;
import java.util.Objects;

/**
 * A condition on a point's {@link VectorPoint#attributes() attributes}, applied inside the index together with the
 * rest of a {@link VectorQuery}'s scope (a pre-filter, so {@code limit} hits come back whenever that many match).
 * Conditions look at top-level attribute values only; {@link #matches} is the reference semantics every adapter
 * follows.
 *
 * <p>Typical use, "latest, unforgotten, unexpired memories":
 *
 * <pre>{@code
 * List.of(new AttributeCondition.Equals("isLatest", true),
 *         new AttributeCondition.Equals("isForgotten", false),
 *         new AttributeCondition.NotExpired("forgetAfter", clock.millis()))
 * }</pre>
 *
 * A closed set: an adapter must translate every kind, so a new kind is added here together with its translations.
 */
public sealed interface AttributeCondition permits AttributeCondition.Equals, AttributeCondition.NotExpired {

    /** The attribute the condition tests: ASCII letters, digits and {@code _} (a safe path in every store). */
    String key();

    /** Whether {@code attributes} meet this condition (the reference evaluator). */
    boolean matches(Map<String, Object> attributes);

    /**
     * The attribute is the boolean {@code value}. A point without the attribute, or with a non-boolean value, does
     * not match (so writers must always store the attributes they filter on).
     *
     * @param key the attribute name
     * @param value the required boolean
     */
    record Equals(String key, boolean value) implements AttributeCondition {

        public Equals {
            requireKey(key);
        }

        @Override
        public boolean matches(Map<String, Object> attributes) {
            return attributes.get(key) instanceof Boolean b && b == value;
        }
    }

    /**
     * The attribute is absent, or is a number (epoch milliseconds) greater than {@code nowEpochMs}. A present
     * non-numeric value does not match.
     *
     * @param key the attribute holding the expiry instant in epoch milliseconds (e.g. {@code forgetAfter})
     * @param nowEpochMs the current instant in epoch milliseconds
     */
    record NotExpired(String key, long nowEpochMs) implements AttributeCondition {

        public NotExpired {
            requireKey(key);
        }

        @Override
        public boolean matches(Map<String, Object> attributes) {
            Object value = attributes.get(key);
            return value == null || (value instanceof Number n && n.doubleValue() > nowEpochMs);
        }
    }

    private static void requireKey(String key) {
        Objects.requireNonNull(key, "key");
        if (!key.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException(
                    "an attribute condition key must be ASCII letters, digits and '_': \"" + key + "\"");
        }
    }
}

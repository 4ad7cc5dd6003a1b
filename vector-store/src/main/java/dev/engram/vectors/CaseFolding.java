package dev.engram.vectors;

import java.util.Locale;

/**
 * The two case-insensitive comparisons of the filter grammar, as index-time transformations: a value and a query
 * compare equal ignoring case exactly when their transformed forms compare equal (or contain one another).
 */
public final class CaseFolding {

    private CaseFolding() {}

    /**
     * The form under which {@link String#equalsIgnoreCase} becomes plain equality: each code point is upper-cased,
     * then lower-cased, which is the test {@code equalsIgnoreCase} applies code point by code point. Used for
     * {@code metadata} and {@code array_contains} conditions with {@code ignoreCase}.
     */
    public static String fold(String text) {
        StringBuilder folded = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return folded.toString();
    }

    /**
     * {@code text.toLowerCase(Locale.ROOT)}: the reference evaluator lower-cases both sides of a {@code string_contains}
     * condition with {@code ignoreCase}, so substring tests run on this form.
     */
    public static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}

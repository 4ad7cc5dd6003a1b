package dev.engram.core.text;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What PostgreSQL's {@code text} and {@code jsonb} cannot hold: the NUL character, and a UTF-16 surrogate without its
 * pair (JSON can escape one alone), which has no UTF-8 form. No stored value contains either, so a request carrying
 * one is refused as invalid whether it writes the text or looks it up: binding NUL fails the statement, and a lone
 * surrogate is sent as {@code ?} and would be stored or matched as that.
 */
public final class StorableText {

    /** The reason given for text with the NUL character. */
    public static final String NUL = "must not contain the NUL character (\\u0000)";

    /** The reason given for text with an unpaired surrogate. */
    public static final String UNPAIRED_SURROGATE = "must be valid Unicode: it has an unpaired surrogate";

    private StorableText() {}

    /** Why {@code text} cannot be stored ({@link #NUL} or {@link #UNPAIRED_SURROGATE}), or empty if it can. */
    public static Optional<String> problem(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return Optional.of(NUL);
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c)
                        && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return Optional.of(UNPAIRED_SURROGATE);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The first text in {@code value} that cannot be stored, as {@code at.path: reason}, or empty: {@code value} is a
     * string, or maps (keys too) and lists of any depth, as JSON is read into; anything else is passed over.
     */
    public static Optional<String> problemIn(String at, Object value) {
        if (value instanceof CharSequence text) {
            return problem(text).map(reason -> at + ": " + reason);
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                Optional<String> found = problem(key)
                        .map(reason -> at + ": has a key that " + reason)
                        .or(() -> problemIn(at + "." + key, entry.getValue()));
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Optional<String> found = problemIn(at + "[" + i + "]", list.get(i));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * {@code text} as it can be stored: NUL characters removed, an unpaired surrogate replaced by U+FFFD (as a UTF-8
     * decoder does); the same instance when there is nothing to change. For text that is taken, not asked for (a chat
     * the router passes on), where refusing is not an option.
     */
    public static String storable(String text) {
        if (text == null || problem(text).isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return out.toString();
    }

    /**
     * Why a request's decoded path or query cannot be served (its {@code details}: {@code path: …} or
     * {@code query parameter name: …}), or empty. A path segment is often an id looked up in PostgreSQL.
     */
    public static Optional<String> inRequestLine(String path, Map<String, List<String>> query) {
        Optional<String> problem = problem(path);
        if (problem.isPresent()) {
            return Optional.of("path: " + problem.get());
        }
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (problem(parameter.getKey()).isPresent()) {
                return Optional.of(
                        "query: a parameter name " + problem(parameter.getKey()).get());
            }
            for (String value : parameter.getValue()) {
                problem = problem(value);
                if (problem.isPresent()) {
                    return Optional.of("query parameter " + parameter.getKey() + ": " + problem.get());
                }
            }
        }
        return Optional.empty();
    }
}

package dev.engram.core.documents;

import java.util.Optional;
import java.util.regex.Pattern;

/** The rules the Supermemory API documents for container tags and custom ids. */
public final class ContainerTags {

    /** The container tag of documents added without one (Supermemory's default project tag). */
    public static final String DEFAULT = "sm_project_default";

    /** Longest container tag or custom id accepted. */
    public static final int MAX_LENGTH = 100;

    private static final Pattern ALLOWED = Pattern.compile("^[a-zA-Z0-9_:.-]+$");

    private ContainerTags() {}

    /**
     * Checks a container tag or custom id.
     *
     * @return why {@code value} is not acceptable, or empty if it is
     */
    public static Optional<String> problem(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters, was " + value.length());
        }
        if (!ALLOWED.matcher(value).matches()) {
            return Optional.of("may contain only letters, digits, '_', '-', '.' and ':'");
        }
        return Optional.empty();
    }
}

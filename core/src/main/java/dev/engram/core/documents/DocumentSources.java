package dev.engram.core.documents;

import java.net.URI;
import java.util.Locale;

/** Where a document's content is: given as text, to be fetched from a URL, or uploaded as a file. */
public final class DocumentSources {

    /** Content is the text itself. */
    public static final String TEXT = "text";

    /** Content is an http(s) URL to fetch. */
    public static final String URL = "url";

    /** Content is an uploaded file. */
    public static final String FILE = "file";

    private DocumentSources() {}

    /** {@link #URL} if {@code content} is a single absolute http(s) URL, else {@link #TEXT}. */
    public static String of(String content) {
        return isUrl(content) ? URL : TEXT;
    }

    /** Whether {@code content} is one absolute http or https URL with a host and nothing else. */
    public static boolean isUrl(String content) {
        if (content == null) {
            return false;
        }
        String trimmed = content.strip();
        if (trimmed.isEmpty() || trimmed.length() > 8192 || trimmed.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            return false;
        }
        try {
            URI uri = new URI(trimmed);
            return uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}

package dev.engram.search.api;

import dev.engram.search.query.Retrieval;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of the search requests' fields; each failure names the field. */
final class RequestChecks {

    private static final Pattern TAG = Pattern.compile("^[a-zA-Z0-9_:.-]+$");
    private static final int MAX_TAG = 100;
    private static final int MAX_QUERY = 10_000;
    /** As ingest-service accepts for a document's path. */
    private static final int MAX_FILEPATH = 1024;

    private RequestChecks() {}

    static String query(String q) {
        if (q == null || q.isBlank()) {
            throw new InvalidRequestException("q", "is required and must not be blank");
        }
        if (q.length() > MAX_QUERY) {
            throw new InvalidRequestException("q", "is longer than " + MAX_QUERY + " characters");
        }
        return q.strip();
    }

    /** The container tags to search: {@code containerTag} and {@code containerTags} together; empty means all. */
    static List<String> containerTags(String containerTag, List<String> containerTags) {
        List<String> tags = new ArrayList<>();
        if (containerTag != null) {
            tags.add(tag("containerTag", containerTag));
        }
        if (containerTags != null) {
            for (int i = 0; i < containerTags.size(); i++) {
                tags.add(tag("containerTags[" + i + "]", containerTags.get(i)));
            }
        }
        return tags.stream().distinct().toList();
    }

    /** A single required container tag. */
    static String requiredTag(String field, String tag) {
        if (tag == null) {
            throw new InvalidRequestException(field, "is required");
        }
        return tag(field, tag);
    }

    static double unitInterval(String field, Double value, double fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNaN() || value < 0 || value > 1) {
            throw new InvalidRequestException(field, "must be a number from 0 to 1");
        }
        return value;
    }

    static int limit(String field, Integer value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > max) {
            throw new InvalidRequestException(field, "must be from 1 to " + max);
        }
        return value;
    }

    /** The {@code retrieval} extension field; {@code hybrid} when absent. */
    static Retrieval retrieval(String value) {
        if (value == null) {
            return Retrieval.HYBRID;
        }
        return Retrieval.fromWire(value)
                .orElseThrow(() -> new InvalidRequestException("retrieval", "must be 'hybrid', 'dense' or 'lexical'"));
    }

    /** {@code filepath}: {@code null} (no filter) or a non-blank path of at most 1024 characters, used as given. */
    static String filepath(String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > MAX_FILEPATH) {
            throw new InvalidRequestException(
                    "filepath", "must be a non-blank path of at most " + MAX_FILEPATH + " characters");
        }
        return value;
    }

    private static String tag(String field, String tag) {
        if (tag == null || tag.length() > MAX_TAG || !TAG.matcher(tag).matches()) {
            throw new InvalidRequestException(
                    field, "must be 1 to " + MAX_TAG + " characters of letters, digits, '_', ':', '.' and '-'");
        }
        return tag;
    }
}

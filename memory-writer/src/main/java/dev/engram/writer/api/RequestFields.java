package dev.engram.writer.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.core.documents.ContainerTags;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads request fields from a JSON body, one rule each, and names the field at fault when a rule is broken. "Absent"
 * is a Java {@code null} node; an explicit JSON {@code null} is a null node, which only some fields accept.
 */
final class RequestFields {

    /** Most metadata keys on one memory. */
    static final int MAX_METADATA_KEYS = 64;

    /** Longest metadata key. */
    static final int MAX_METADATA_KEY = 128;

    /** Longest metadata string value (and list element). */
    static final int MAX_METADATA_VALUE = 4096;

    private RequestFields() {}

    /** The body, which must be a JSON object. */
    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object");
        }
        return body;
    }

    /** Whether the field is absent or JSON {@code null}. */
    static boolean missing(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** A string, or {@code null} when absent or null (unless {@code required}). */
    static String string(JsonNode node, String field, boolean required) {
        if (missing(node)) {
            if (required) {
                throw new InvalidRequestException(field, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidRequestException(field, "must be a string");
        }
        return node.textValue();
    }

    /** A string of 1..{@code max} characters that is not only whitespace. */
    static String text(JsonNode node, String field, boolean required, int max) {
        String text = string(node, field, required);
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            throw new InvalidRequestException(field, "must not be empty");
        }
        if (text.length() > max) {
            throw new InvalidRequestException(field, "must be at most " + max + " characters, was " + text.length());
        }
        return text;
    }

    /** A valid container tag. */
    static String containerTag(JsonNode node, String field) {
        String tag = string(node, field, true);
        ContainerTags.problem(tag).ifPresent(problem -> {
            throw new InvalidRequestException(field, problem);
        });
        return tag;
    }

    /** A boolean (or the strings {@code "true"}/{@code "false"}), {@code fallback} when absent. */
    static boolean flag(JsonNode node, String field, boolean fallback) {
        if (missing(node)) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && ("true".equals(node.textValue()) || "false".equals(node.textValue()))) {
            return Boolean.parseBoolean(node.textValue());
        }
        throw new InvalidRequestException(field, "must be true or false");
    }

    /** A whole number (or numeric string) within {@code min..max}, {@code fallback} when absent. */
    static int whole(JsonNode node, String field, int fallback, int min, int max) {
        if (missing(node)) {
            return fallback;
        }
        long number;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            number = node.longValue();
        } else if (node.isNumber() && node.doubleValue() == Math.rint(node.doubleValue())) {
            number = (long) node.doubleValue();
        } else if (node.isTextual() && node.textValue().strip().matches("-?\\d{1,9}")) {
            number = Long.parseLong(node.textValue().strip());
        } else {
            throw new InvalidRequestException(field, "must be a whole number");
        }
        if (number < min || number > max) {
            throw new InvalidRequestException(field, "must be within " + min + ".." + max);
        }
        return (int) number;
    }

    /** A number within {@code min..max}, {@code fallback} when absent. */
    static double number(JsonNode node, String field, double fallback, double min, double max) {
        if (missing(node)) {
            return fallback;
        }
        double number;
        if (node.isNumber()) {
            number = node.doubleValue();
        } else if (node.isTextual()) {
            try {
                number = Double.parseDouble(node.textValue().strip());
            } catch (NumberFormatException e) {
                throw new InvalidRequestException(field, "must be a number");
            }
        } else {
            throw new InvalidRequestException(field, "must be a number");
        }
        if (!(number >= min && number <= max)) {
            throw new InvalidRequestException(field, "must be within " + min + ".." + max);
        }
        return number;
    }

    /**
     * An ISO 8601 date-time ({@code 2025-03-01T10:00:00Z}, with any offset; without one it is taken as UTC) or date
     * ({@code 2025-03-01}, the start of that day in UTC); {@code null} when absent or null.
     */
    static Instant instant(JsonNode node, String field) {
        String text = string(node, field, false);
        if (text == null) {
            return null;
        }
        String value = text.strip();
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    throw new InvalidRequestException(
                            field, "must be an ISO 8601 date-time (e.g. 2025-03-01T10:00:00Z) or date (2025-03-01)");
                }
            }
        }
    }

    /** A list of ISO 8601 dates of at most {@code max} entries; empty when absent or null. */
    static List<Instant> instants(JsonNode node, String field, int max) {
        if (missing(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidRequestException(field, "must be an array of ISO 8601 dates");
        }
        if (node.size() > max) {
            throw new InvalidRequestException(field, "must have at most " + max + " entries");
        }
        List<Instant> instants = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String elementField = field + "[" + i + "]";
            if (missing(node.get(i))) {
                throw new InvalidRequestException(elementField, "must be an ISO 8601 date");
            }
            instants.add(instant(node.get(i), elementField));
        }
        return instants;
    }

    /** A list of 1..{@code max} non-blank strings (each at most 1000 characters), or {@code null} when absent. */
    static List<String> strings(JsonNode node, String field, int max) {
        if (missing(node)) {
            return null;
        }
        if (!node.isArray()) {
            throw new InvalidRequestException(field, "must be an array of strings");
        }
        if (node.isEmpty() || node.size() > max) {
            throw new InvalidRequestException(field, "must have 1 to " + max + " entries");
        }
        List<String> strings = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            strings.add(text(node.get(i), field + "[" + i + "]", true, 1000));
        }
        return strings;
    }

    /**
     * Flat metadata: string, number, boolean or string-list values (as the SDK types it); empty when absent, or
     * {@code null} when absent and {@code nullWhenAbsent} (so "inherit" and "none" stay apart).
     */
    static Map<String, Object> metadata(JsonNode node, String field, boolean nullWhenAbsent) {
        if (missing(node)) {
            return nullWhenAbsent ? null : Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidRequestException(
                    field, "must be an object of string, number, boolean or string-list values");
        }
        if (node.size() > MAX_METADATA_KEYS) {
            throw new InvalidRequestException(field, "must have at most " + MAX_METADATA_KEYS + " keys");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String key = entry.getKey();
            String keyField = field + "." + key;
            if (key.isEmpty() || key.length() > MAX_METADATA_KEY) {
                throw new InvalidRequestException(field, "keys must be 1 to " + MAX_METADATA_KEY + " characters");
            }
            metadata.put(key, metadataValue(entry.getValue(), keyField));
        }
        return metadata;
    }

    private static Object metadataValue(JsonNode value, String field) {
        if (value.isTextual()) {
            if (value.textValue().length() > MAX_METADATA_VALUE) {
                throw new InvalidRequestException(field, "must be at most " + MAX_METADATA_VALUE + " characters");
            }
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            // Integers beyond a long could not be compared by numeric filters.
            if (!value.canConvertToLong()) {
                throw new InvalidRequestException(field, "must be a number within the range of a 64-bit integer");
            }
            return value.longValue();
        }
        if (value.isNumber()) {
            if (!Double.isFinite(value.doubleValue())) {
                throw new InvalidRequestException(field, "must be a finite number within the range of a double");
            }
            return value.doubleValue();
        }
        if (value.isArray()) {
            List<String> list = new ArrayList<>(value.size());
            for (JsonNode element : value) {
                if (!element.isTextual() || element.textValue().length() > MAX_METADATA_VALUE) {
                    throw new InvalidRequestException(
                            field, "lists may hold only strings of at most " + MAX_METADATA_VALUE + " characters");
                }
                list.add(element.textValue());
            }
            return List.copyOf(list);
        }
        throw new InvalidRequestException(
                field, "must be a string, number, boolean or list of strings (no nesting, no null)");
    }
}

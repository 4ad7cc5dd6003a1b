package dev.engram.ingest.documents;

import dev.engram.core.documents.ContainerTags;
import dev.engram.core.text.StorableText;
import dev.engram.ingest.api.AddDocumentRequest;
import dev.engram.ingest.api.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks document fields against the rules the Supermemory SDK documents. The first violation found is reported
 * with the field that caused it (prefixed, for batch items, with the item's position).
 */
public final class DocumentRequestValidator {

    /** Largest text content accepted, in UTF-8 bytes (1 MB). */
    public static final int MAX_CONTENT_BYTES = 1024 * 1024;

    /** Longest entity context. */
    public static final int MAX_ENTITY_CONTEXT = 1500;

    /** Longest file path. */
    public static final int MAX_FILEPATH = 1024;

    /** Most metadata keys on one document. */
    public static final int MAX_METADATA_KEYS = 64;

    /** Longest metadata key, and longest metadata string value. */
    public static final int MAX_METADATA_KEY = 128;

    public static final int MAX_METADATA_VALUE = 4096;

    private DocumentRequestValidator() {}

    /**
     * Validates an add-document request.
     *
     * @throws InvalidRequestException naming the field at fault
     */
    public static NewDocument validate(AddDocumentRequest request, String orgId) {
        if (request == null) {
            throw new InvalidRequestException("body", "a JSON object with at least 'content' is required");
        }
        return validate(request, orgId, "");
    }

    /**
     * Validates one document, naming fields with {@code prefix} (e.g. {@code documents[3].}).
     *
     * @throws InvalidRequestException naming the field at fault
     */
    public static NewDocument validate(AddDocumentRequest request, String orgId, String prefix) {
        String content = content(request.content(), prefix + "content");
        return new NewDocument(
                orgId,
                containerTag(request.containerTag(), request.containerTags(), prefix),
                customId(request.customId(), prefix + "customId"),
                content,
                metadata(request.metadata(), prefix + "metadata"),
                filepath(request.filepath(), prefix + "filepath"),
                taskType(request.taskType(), prefix + "taskType"),
                entityContext(request.entityContext(), prefix + "entityContext"),
                null);
    }

    /** Checks text content: a non-blank string of at most {@link #MAX_CONTENT_BYTES}. */
    public static String content(Object value, String field) {
        String content = requireText(field, value);
        if (content.isBlank()) {
            throw new InvalidRequestException(field, "must not be empty");
        }
        int bytes = content.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_CONTENT_BYTES) {
            throw new InvalidRequestException(
                    field, "must be at most " + MAX_CONTENT_BYTES + " bytes of text, was " + bytes);
        }
        return content;
    }

    /** The container tag from {@code containerTag}, else the first of {@code containerTags}, else the default. */
    public static String containerTag(Object containerTag, List<?> containerTags, String prefix) {
        if (containerTag != null) {
            String tag = requireString(prefix + "containerTag", containerTag);
            checkIdentifier(prefix + "containerTag", tag);
            return tag;
        }
        if (containerTags != null && !containerTags.isEmpty()) {
            for (int i = 0; i < containerTags.size(); i++) {
                String field = prefix + "containerTags[" + i + "]";
                checkIdentifier(field, requireString(field, containerTags.get(i)));
            }
            return (String) containerTags.get(0);
        }
        return ContainerTags.DEFAULT;
    }

    /** A valid custom id, or {@code null} when absent. */
    public static String customId(Object value, String field) {
        if (value == null) {
            return null;
        }
        String customId = requireString(field, value);
        checkIdentifier(field, customId);
        return customId;
    }

    /** A file path of at most {@link #MAX_FILEPATH} characters, or {@code null}. */
    public static String filepath(Object value, String field) {
        if (value == null) {
            return null;
        }
        String path = requireString(field, value);
        if (path.isEmpty() || path.length() > MAX_FILEPATH) {
            throw new InvalidRequestException(field, "must be 1 to " + MAX_FILEPATH + " characters");
        }
        if (path.chars().anyMatch(c -> c < 0x20)) {
            throw new InvalidRequestException(field, "must not contain control characters");
        }
        rejectUnstorable(field, path);
        return path;
    }

    /** {@code memory} (the default) or {@code superrag}. */
    public static String taskType(Object value, String field) {
        if (value == null) {
            return "memory";
        }
        String taskType = requireString(field, value);
        if (!"memory".equals(taskType) && !"superrag".equals(taskType)) {
            throw new InvalidRequestException(field, "must be 'memory' or 'superrag'");
        }
        return taskType;
    }

    /** An entity context of at most {@link #MAX_ENTITY_CONTEXT} characters, or {@code null}. */
    public static String entityContext(Object value, String field) {
        if (value == null) {
            return null;
        }
        String context = requireText(field, value);
        if (context.length() > MAX_ENTITY_CONTEXT) {
            throw new InvalidRequestException(field, "must be at most " + MAX_ENTITY_CONTEXT + " characters");
        }
        return context.isBlank() ? null : context;
    }

    /** Flat metadata: string, number, boolean or string-list values; {@code null} gives an empty map. */
    public static Map<String, Object> metadata(Map<String, Object> metadata, String field) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > MAX_METADATA_KEYS) {
            throw new InvalidRequestException(field, "must have at most " + MAX_METADATA_KEYS + " keys");
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : metadata.entrySet()) {
            String key = entry.getKey();
            String keyField = field + "." + key;
            if (key.isEmpty() || key.length() > MAX_METADATA_KEY) {
                throw new InvalidRequestException(field, "keys must be 1 to " + MAX_METADATA_KEY + " characters");
            }
            rejectUnstorable(field, key);
            Object value = entry.getValue();
            if (value instanceof List<?> list) {
                for (Object element : list) {
                    if (!(element instanceof String text) || text.length() > MAX_METADATA_VALUE) {
                        throw new InvalidRequestException(
                                keyField, "lists may hold only strings of at most " + MAX_METADATA_VALUE + " chars");
                    }
                    rejectUnstorable(keyField, text);
                }
                checked.put(key, List.copyOf(list));
            } else if (value instanceof String text) {
                if (text.length() > MAX_METADATA_VALUE) {
                    throw new InvalidRequestException(
                            keyField, "must be at most " + MAX_METADATA_VALUE + " characters");
                }
                rejectUnstorable(keyField, text);
                checked.put(key, text);
            } else if (value instanceof Number number) {
                // Also catches integers too large for a double (BigInteger), which numeric filters could not compare.
                if (!Double.isFinite(number.doubleValue())) {
                    throw new InvalidRequestException(keyField, "must be a finite number within the range of a double");
                }
                checked.put(key, number);
            } else if (value instanceof Boolean) {
                checked.put(key, value);
            } else {
                throw new InvalidRequestException(
                        keyField, "must be a string, number, boolean or list of strings (no nesting, no null)");
            }
        }
        return checked;
    }

    private static void checkIdentifier(String field, String value) {
        ContainerTags.problem(value).ifPresent(problem -> {
            throw new InvalidRequestException(field, problem);
        });
    }

    /** A string for a text or jsonb column. */
    private static String requireText(String field, Object value) {
        String text = requireString(field, value);
        rejectUnstorable(field, text);
        return text;
    }

    /** Rejects what PostgreSQL cannot store ({@link StorableText}), whether the text is to be stored or looked up. */
    private static void rejectUnstorable(String field, String text) {
        StorableText.problem(text).ifPresent(reason -> {
            throw new InvalidRequestException(field, reason);
        });
    }

    private static String requireString(String field, Object value) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        if (!(value instanceof String text)) {
            throw new InvalidRequestException(field, "must be a string");
        }
        return text;
    }
}

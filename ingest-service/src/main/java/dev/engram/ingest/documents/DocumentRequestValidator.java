package dev.engram.ingest.documents;

import dev.engram.core.documents.ContainerTags;
import dev.engram.ingest.api.AddDocumentRequest;
import dev.engram.ingest.api.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an add-document request against the rules the Supermemory SDK documents and turns it into a
 * {@link NewDocument}. The first violation found is reported with the field that caused it.
 */
public final class DocumentRequestValidator {

    /** Largest text content accepted, in UTF-8 bytes (1 MB). */
    public static final int MAX_CONTENT_BYTES = 1024 * 1024;

    /** Most metadata keys on one document. */
    public static final int MAX_METADATA_KEYS = 64;

    private DocumentRequestValidator() {}

    /**
     * @throws InvalidRequestException naming the field at fault
     */
    public static NewDocument validate(AddDocumentRequest request, String orgId) {
        if (request == null) {
            throw new InvalidRequestException("body", "a JSON object with at least 'content' is required");
        }
        String content = requireString("content", request.content());
        if (content.isBlank()) {
            throw new InvalidRequestException("content", "must not be empty");
        }
        int bytes = content.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_CONTENT_BYTES) {
            throw new InvalidRequestException(
                    "content", "must be at most " + MAX_CONTENT_BYTES + " bytes of text, was " + bytes);
        }
        String containerTag = containerTag(request);
        String customId = null;
        if (request.customId() != null) {
            customId = requireString("customId", request.customId());
            checkIdentifier("customId", customId);
        }
        return new NewDocument(orgId, containerTag, customId, content, metadata(request.metadata()));
    }

    private static String containerTag(AddDocumentRequest request) {
        if (request.containerTag() != null) {
            String tag = requireString("containerTag", request.containerTag());
            checkIdentifier("containerTag", tag);
            return tag;
        }
        List<Object> tags = request.containerTags();
        if (tags != null && !tags.isEmpty()) {
            for (int i = 0; i < tags.size(); i++) {
                checkIdentifier("containerTags[" + i + "]", requireString("containerTags[" + i + "]", tags.get(i)));
            }
            return (String) tags.get(0);
        }
        return ContainerTags.DEFAULT;
    }

    private static void checkIdentifier(String field, String value) {
        ContainerTags.problem(value).ifPresent(problem -> {
            throw new InvalidRequestException(field, problem);
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

    private static Map<String, Object> metadata(Map<String, Object> metadata) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > MAX_METADATA_KEYS) {
            throw new InvalidRequestException("metadata", "must have at most " + MAX_METADATA_KEYS + " keys");
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : metadata.entrySet()) {
            String field = "metadata." + entry.getKey();
            if (entry.getKey().isEmpty()) {
                throw new InvalidRequestException("metadata", "keys must not be empty");
            }
            Object value = entry.getValue();
            if (value instanceof List<?> list) {
                for (Object element : list) {
                    if (!(element instanceof String)) {
                        throw new InvalidRequestException(field, "lists may hold only strings");
                    }
                }
                checked.put(entry.getKey(), List.copyOf(list));
            } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                checked.put(entry.getKey(), value);
            } else {
                throw new InvalidRequestException(
                        field, "must be a string, number, boolean or list of strings (no nesting, no null)");
            }
        }
        return checked;
    }
}

package dev.engram.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v3/documents/batch}: 1 to 600 documents, each an object like {@link AddDocumentRequest} or
 * a plain string (its content), plus fields shared by every item that does not set its own.
 */
public record BatchAddRequest(
        JsonNode documents,
        Object containerTag,
        List<Object> containerTags,
        Map<String, Object> metadata,
        Object filepath,
        Object taskType,
        Object entityContext) {}

package dev.engram.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.engram.core.json.StorableTextModule;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v3/documents/batch}: 1 to 600 documents, each an object like {@link AddDocumentRequest} or
 * a plain string (its content), plus fields shared by every item that does not set its own.
 */
public record BatchAddRequest(
        // each item is checked on its own, so that text in one that cannot be stored fails only that item
        @JsonDeserialize(using = StorableTextModule.Unchecked.class)
        JsonNode documents,

        Object containerTag,
        List<Object> containerTags,
        Map<String, Object> metadata,
        Object filepath,
        Object taskType,
        Object entityContext) {}

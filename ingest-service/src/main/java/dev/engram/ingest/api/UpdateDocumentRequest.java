package dev.engram.ingest.api;

import java.util.List;
import java.util.Map;

/** Body of {@code PATCH /v3/documents/{id}}: every field optional; absent fields keep their value. */
public record UpdateDocumentRequest(
        Object content,
        Object containerTag,
        List<Object> containerTags,
        Object customId,
        Map<String, Object> metadata,
        Object filepath,
        Object taskType) {}

package dev.engram.ingest.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A document as {@code GET /v3/documents/{id}} returns it: the SDK's {@code DocumentGetResponse}, with
 * {@code null} for what Engram does not have (connections, images, spatial points), plus two fields of Engram's:
 * {@code statusReason} (why processing failed) and {@code chunkCount} (chunks indexed once {@code done}).
 */
public record DocumentResponse(
        String id,
        String connectionId,
        String content,
        Instant createdAt,
        String customId,
        String filepath,
        Map<String, Object> metadata,
        String ogImage,
        Object raw,
        String source,
        Object spatialPoint,
        String status,
        String summary,
        String taskType,
        String title,
        String type,
        Instant updatedAt,
        List<String> containerTags,
        String url,
        String statusReason,
        Integer chunkCount) {}

package dev.engram.ingest.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A document as {@code GET /v3/documents/{id}} returns it: the SDK's {@code DocumentGetResponse}, with
 * {@code null} for what Engram does not have (connections, images, spatial points), plus two fields of Engram's:
 * {@code statusReason} (why processing failed) and {@code chunkCount} (chunks indexed once {@code done}), and the
 * state of memory extraction, which runs after {@code done} (the chunks are searchable first):
 * {@code memoryStatus} is {@code pending}, {@code running}, {@code done}, {@code failed} (with
 * {@code memoryStatusReason}), {@code skipped} (the document changed or went away first) or {@code none} (nothing to
 * extract: retrieval-only documents, documents that record memories made directly, conversations with no new turns).
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
        Integer chunkCount,
        String memoryStatus,
        String memoryStatusReason) {

    /** This document with the state of its memory extraction. */
    public DocumentResponse withMemoryStatus(String status, String reason) {
        return new DocumentResponse(
                id,
                connectionId,
                content,
                createdAt,
                customId,
                filepath,
                metadata,
                ogImage,
                raw,
                source,
                spatialPoint,
                this.status,
                summary,
                taskType,
                title,
                type,
                updatedAt,
                containerTags,
                url,
                statusReason,
                chunkCount,
                status,
                reason);
    }
}

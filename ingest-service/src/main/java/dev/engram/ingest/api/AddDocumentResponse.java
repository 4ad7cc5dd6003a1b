package dev.engram.ingest.api;

/**
 * Answer to {@code POST /v3/documents}.
 *
 * @param id the document id (usable at once with {@code GET /v3/documents/{id}})
 * @param status the status the document is in, {@code queued} on acceptance
 */
public record AddDocumentResponse(String id, String status) {}

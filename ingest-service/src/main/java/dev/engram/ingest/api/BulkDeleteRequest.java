package dev.engram.ingest.api;

import java.util.List;

/**
 * Body of {@code DELETE /v3/documents/bulk}: exactly one of the three criteria.
 *
 * @param ids up to 100 document ids or customIds
 * @param containerTags every document of these tags
 * @param filepath an exact path, or a prefix when it ends with {@code /}
 */
public record BulkDeleteRequest(List<Object> ids, List<Object> containerTags, Object filepath) {}
